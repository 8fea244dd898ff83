"""Seeded, vectorised building blocks for synthetic Vietnamese records.

Everything here is a pure function of a seed and a row index (or of a numpy generator
seeded from them), so the same seed gives the same bytes on every run and every machine
with the same numpy and pyarrow. Identifiers have real formats but are fake:

- citizen IDs (CCCD, 12 digits): province of birth (3) + sex/century (1) + year (2) +
  6 digits;
- tax codes (10 digits) whose last digit is the check digit of Circular 105/2020/TT-BTC;
- container numbers (ISO 6346) and IMO ship numbers with valid check digits.

>>> tax_code_check("010010751")
8
>>> imo_check(907472)  # IMO 9074729
9
>>> container_check("CSQU305438")  # CSQU 305438 3
3
"""

from __future__ import annotations

from collections.abc import Sequence

import numpy as np
import pyarrow as pa
import pyarrow.compute as pc

U64 = np.uint64
_GOLDEN = 0x9E3779B97F4A7C15
_M1 = 0xBF58476D1CE4E5B9
_M2 = 0x94D049BB133111EB
_MASK = (1 << 64) - 1
TAX_WEIGHTS = np.array([31, 29, 23, 19, 17, 13, 7, 5, 3], dtype=np.int64)


def mix64(x: np.ndarray) -> np.ndarray:
    """SplitMix64's finaliser over a uint64 array: a fast, well-spread hash."""
    with np.errstate(over="ignore"):
        z = x.astype(U64) + U64(_GOLDEN)
        z = (z ^ (z >> U64(30))) * U64(_M1)
        z = (z ^ (z >> U64(27))) * U64(_M2)
        return z ^ (z >> U64(31))


def stream_key(seed: int, *names: str) -> int:
    """A 64-bit key for one named stream of a seed ("people", "given-name"…)."""
    key = (seed * _GOLDEN + 1) & _MASK
    for name in names:
        for ch in name.encode():
            key = int(mix64(np.array([key ^ ch], dtype=U64))[0])
    return key


def hashed(seed: int, name: str, index: np.ndarray) -> np.ndarray:
    """uint64 hashes of `index` in the stream `name` of `seed`."""
    return mix64(index.astype(U64) ^ U64(stream_key(seed, name)))


def unit(seed: int, name: str, index: np.ndarray) -> np.ndarray:
    """Uniform floats in [0, 1), one per index."""
    return (hashed(seed, name, index) >> U64(11)).astype(np.float64) * 2.0**-53


def below(seed: int, name: str, index: np.ndarray, n: int) -> np.ndarray:
    """Uniform integers in [0, n), one per index."""
    return (hashed(seed, name, index) % U64(n)).astype(np.int64)


def weighted(u: np.ndarray, weights: np.ndarray | Sequence[float]) -> np.ndarray:
    """Indices drawn by weight from uniforms `u` in [0, 1)."""
    cum = np.cumsum(np.asarray(weights, dtype=np.float64))
    return np.minimum(np.searchsorted(cum / cum[-1], u, side="right"), len(cum) - 1)


def generator(seed: int, *names: str | int) -> np.random.Generator:
    """A numpy generator for one chunk of one table: chunks are independent of each other."""
    parts = [seed & 0xFFFFFFFF] + [
        stream_key(0, n) & 0xFFFFFFFF if isinstance(n, str) else int(n) for n in names
    ]
    return np.random.Generator(np.random.PCG64(np.random.SeedSequence(parts)))


# -- text columns --------------------------------------------------------------------


def pick(values: list[str], index: np.ndarray) -> pa.Array:
    """values[index] as an Arrow string column."""
    return pa.array(values, pa.string()).take(pa.array(index, pa.int64()))


def digits(values: np.ndarray, width: int) -> pa.Array:
    """Non-negative integers as zero-padded text."""
    text = pa.array(values.astype(np.int64), pa.int64()).cast(pa.string())
    return pc.utf8_lpad(text, width=width, padding="0")


def where(mask: np.ndarray, values: np.ndarray, type_: pa.DataType | None = None) -> pa.Array:
    """`values` where `mask` holds, null elsewhere."""
    return pa.array(values, type_, mask=~np.asarray(mask, dtype=bool))


def text(values: np.ndarray) -> pa.Array:
    return pa.array(values).cast(pa.string())


def join(*parts: pa.Array | str, sep: str = "") -> pa.Array:
    """Element-wise concatenation of columns and literal strings."""
    n = next(len(p) for p in parts if not isinstance(p, str))
    cols = [pa.array([p] * n, pa.string()) if isinstance(p, str) else p for p in parts]
    return pc.binary_join_element_wise(*cols, sep)


def decimal(values: np.ndarray, places: int) -> pa.Array:
    """Floats rounded to `places` decimals, written the shortest way ("20.8712")."""
    return pa.array(np.round(values, places), pa.float64()).cast(pa.string())


# -- identifiers ---------------------------------------------------------------------


def tax_code_check(first9: str) -> int:
    """The check digit of a tax code's first nine digits (never 10: such bodies are unused)."""
    total = sum(int(c) * int(w) for c, w in zip(first9, TAX_WEIGHTS, strict=True))
    return 10 - total % 11


def tax_codes(index: np.ndarray, province: int = 2) -> pa.Array:
    """Valid, distinct 10-digit tax codes for firms 0…499,999: the issuing province (02 is
    Hải Phòng), a 9, six digits spread from `index`, and the check digit.

    The 9 puts the codes far above the ranges issued so far, to keep clear of real firms.
    Bodies are even; one whose check digit would be 10 (never issued) takes the odd body
    after it, which no other index uses, and whose check is then 7.

    >>> tax_codes(np.arange(3)).to_pylist()
    ['0290000009', '0290158388', '0290316764']
    """
    body = 2 * ((index.astype(np.int64) * 7919) % 500_000)
    nine = province * 10_000_000 + 9_000_000 + body
    check = _tax_check(nine)
    nine = np.where(check >= 10, nine + 1, nine)
    return digits(nine * 10 + _tax_check(nine), 10)


def _tax_check(nine: np.ndarray) -> np.ndarray:
    total = np.zeros(len(nine), dtype=np.int64)
    rest = nine.copy()
    for w in TAX_WEIGHTS[::-1]:
        total += (rest % 10) * w
        rest //= 10
    return 10 - total % 11


def sex_century_digit(male: np.ndarray, year: np.ndarray) -> np.ndarray:
    """The CCCD's 4th digit: 0/1 for men/women born 1900–1999, 2/3 for 2000–2099."""
    century = (year.astype(np.int64) - 1900) // 100
    return century * 2 + np.where(male, 0, 1)


def citizen_ids(
    province: np.ndarray, male: np.ndarray, year: np.ndarray, serial: np.ndarray
) -> pa.Array:
    """12-digit citizen IDs from their parts (serial: 0–999,999)."""
    head = province.astype(np.int64) * 1000 + sex_century_digit(male, year) * 100 + year % 100
    return digits(head * 1_000_000 + serial, 12)


def imo_check(six: int) -> int:
    """The check digit of an IMO ship number's first six digits."""
    return int(sum(int(d) * w for d, w in zip(f"{six:06d}", range(7, 1, -1), strict=True))) % 10


def imo_numbers(six: np.ndarray) -> pa.Array:
    """Valid IMO numbers ("IMO 9312344") from six-digit bodies."""
    total = np.zeros(len(six), dtype=np.int64)
    rest = six.astype(np.int64).copy()
    for w in range(2, 8):
        total += (rest % 10) * w
        rest //= 10
    return join("IMO ", digits(six * 10 + total % 10, 7))


# ISO 6346 letter values skip multiples of 11
_ISO_LETTERS = dict(
    zip("ABCDEFGHIJKLMNOPQRSTUVWXYZ", [n for n in range(10, 39) if n % 11], strict=False)
)


def container_check(code10: str) -> int:
    """The ISO 6346 check digit of an owner code, category and serial ("MSKU123456")."""
    values = [_ISO_LETTERS[c] if c.isalpha() else int(c) for c in code10]
    return int(sum(v * 2**i for i, v in enumerate(values))) % 11 % 10


def container_numbers(owners: list[str], owner_index: np.ndarray, serial: np.ndarray) -> pa.Array:
    """Valid container numbers: owner code + U + 6 digits + check digit."""
    prefix = np.array([sum(_ISO_LETTERS[c] * 2**i for i, c in enumerate(o + "U")) for o in owners])
    total = prefix[owner_index].astype(np.int64)
    rest = serial.astype(np.int64).copy()
    for i in range(9, 3, -1):  # serial digits sit at positions 4–9
        total += (rest % 10) * 2**i
        rest //= 10
    check = total % 11 % 10
    return join(pick([o + "U" for o in owners], owner_index), digits(serial * 10 + check, 7))


def affine_permutation(seed: int, name: str, modulus: int) -> tuple[int, int]:
    """(a, b) such that x → (a·x + b) mod modulus is a bijection (modulus a power of ten)."""
    key = stream_key(seed, name)
    a = (key % (modulus // 10)) * 10 + 3  # ends in 3: coprime to 2 and 5
    return a % modulus, (key >> 20) % modulus
