"""Logging in and out."""

from __future__ import annotations

MESSAGES: dict[str, tuple[str, str]] = {
    # auth
    "auth.login": ("Đăng nhập", "Log in"),
    "auth.logout": ("Đăng xuất", "Log out"),
    "auth.login_title": ("Đăng nhập nền tảng", "Log in to the platform"),
    "auth.login_lede": (
        "Dành cho cán bộ các cơ quan thành viên. Trang công khai không cần đăng nhập.",
        "For staff of member agencies. Public pages need no login.",
    ),
    "auth.username": ("Tên đăng nhập", "Username"),
    "auth.password": ("Mật khẩu", "Password"),
    "auth.failed_password": (
        "Tên đăng nhập hoặc mật khẩu không đúng.",
        "The username or password is wrong.",
    ),
    "auth.failed_throttled": (
        "Đăng nhập sai quá nhiều lần. Vui lòng thử lại sau khoảng {minutes} phút.",
        "Too many failed logins. Please try again in about {minutes} minutes.",
    ),
    "auth.failed_csrf": (
        "Phiên làm việc đã hết hạn hoặc biểu mẫu không hợp lệ. Vui lòng thử lại.",
        "The session expired or the form is not valid. Please try again.",
    ),
}
