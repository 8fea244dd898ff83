"""The owner agencies of the packs, as registry members.

Codes have the real formats: a state agency's electronic identifier (Decision
20/2020/QĐ-TTg: ``H31`` for the city, ``H31.NN`` for its departments, ``G12.NN`` for
Finance's local branches) and, for VCCI, a 10-digit tax code with a valid check digit.
The city's code H31 is the project's convention; the department and branch numbers are
illustrative, not the official assignments, and VCCI's tax code is synthetic. Departments
carry their names after the 2025 reorganisation (Transport into Construction, Information
and Communications into Science and Technology, Planning and Investment into Finance,
Natural Resources and Environment into Agriculture and Environment).
"""

from __future__ import annotations

import numpy as np

from lienthong.demo import synth
from lienthong.demo.packs.base import Owner

CITY = Owner(
    "GOV", "H31", "Uỷ ban nhân dân thành phố Hải Phòng", "Hai Phong City People's Committee"
)
CITY_OFFICE = Owner(
    "GOV",
    "H31.01",
    "Văn phòng Uỷ ban nhân dân thành phố Hải Phòng",
    "Office of the City People's Committee (administrative procedures system)",
)
AGRICULTURE_ENVIRONMENT = Owner(
    "GOV",
    "H31.10",
    "Sở Nông nghiệp và Môi trường thành phố Hải Phòng",
    "Department of Agriculture and Environment (land)",
)
FINANCE = Owner(
    "GOV", "H31.02", "Sở Tài chính thành phố Hải Phòng", "Hai Phong Department of Finance"
)
HEALTH = Owner("GOV", "H31.11", "Sở Y tế thành phố Hải Phòng", "Department of Health")
EDUCATION = Owner(
    "GOV",
    "H31.12",
    "Sở Giáo dục và Đào tạo thành phố Hải Phòng",
    "Department of Education and Training",
)
CONSTRUCTION = Owner(
    "GOV",
    "H31.13",
    "Sở Xây dựng thành phố Hải Phòng",
    "Department of Construction (planning; transport since 2025)",
)
SCIENCE_TECHNOLOGY = Owner(
    "GOV",
    "H31.14",
    "Sở Khoa học và Công nghệ thành phố Hải Phòng",
    "Department of Science and Technology (telecommunications since 2025)",
)
INDUSTRY_TRADE = Owner(
    "GOV",
    "H31.15",
    "Sở Công Thương thành phố Hải Phòng",
    "Department of Industry and Trade (e-commerce, logistics)",
)
CUSTOMS = Owner(
    "GOV", "G12.31", "Chi cục Hải quan khu vực III (Hải Phòng)", "Customs Sub-department Region III"
)
TAX = Owner("GOV", "G12.32", "Thuế thành phố Hải Phòng", "Hai Phong City Tax")
MARITIME = Owner(
    "GOV",
    "G17.31",
    "Cảng vụ Hàng hải Hải Phòng",
    "Hai Phong Maritime Administration (port authority)",
)
# VCCI's index in the tax-code space is kept apart from the generated firms'
VCCI_TAX_INDEX = 499_999
VCCI = Owner(
    "ORG",
    str(synth.tax_codes(np.array([VCCI_TAX_INDEX])).to_pylist()[0]),
    "VCCI Hải Phòng — Liên đoàn Thương mại và Công nghiệp Việt Nam chi nhánh Hải Phòng",
    "VCCI Hai Phong (Vietnam Chamber of Commerce and Industry); synthetic tax code",
)

ALL = (
    CITY,
    CITY_OFFICE,
    AGRICULTURE_ENVIRONMENT,
    FINANCE,
    HEALTH,
    EDUCATION,
    CONSTRUCTION,
    SCIENCE_TECHNOLOGY,
    INDUSTRY_TRADE,
    CUSTOMS,
    TAX,
    MARITIME,
    VCCI,
)
