"""One synthetic population shared by every pack.

Person `i` is a pure function of (seed, i): the same person, with the same citizen ID,
name, birth date and commune, appears in the health-insurance cards, the school rolls, the
land register and the dossiers. That is what makes the once-only look-ups of the demo
meaningful ("this ID already has a card").

Citizen IDs are unique by construction, not by luck. Persons fall into K slots; each slot
has a birth province, sex and birth year (drawn once, by weight). Person i takes slot
i mod K, and its six-digit serial is (i div K) × m + r, where m is the number of slots
sharing the slot's (province, sex, year) and r the slot's rank among them: two persons
with the same ID prefix therefore always get different serials. The serial is then
scrambled by a bijection of 0…999,999 so that it looks random.
"""

from __future__ import annotations

from dataclasses import dataclass
from functools import cached_property

import numpy as np
import pyarrow as pa
import pyarrow.compute as pc

from lienthong.demo import names, synth
from lienthong.demo.geo import Commune

K = 4096
# birth provinces (codes of the 63-province era, as CCCDs carry them) and their shares
BIRTH_PROVINCES = [31, 30, 1, 22, 33, 34, 36, 38, 40, 24, 27, 79]
BIRTH_WEIGHTS = [0.58, 0.27, 0.03, 0.02, 0.02, 0.02, 0.015, 0.01, 0.01, 0.005, 0.005, 0.01]
FIRST_YEAR, LAST_YEAR = 1935, 2023


def birth_year_weights() -> np.ndarray:
    """A rough age pyramid: flat since 1975, thinning towards the oldest."""
    years = np.arange(FIRST_YEAR, LAST_YEAR + 1)
    return np.clip(0.15 + 0.85 * (years - FIRST_YEAR) / (1975 - FIRST_YEAR), 0.15, 1.0)


@dataclass(frozen=True)
class Slots:
    """The K slots: birth province, sex and year, and each slot's serial stride and rank."""

    province: np.ndarray
    male: np.ndarray
    year: np.ndarray
    stride: np.ndarray
    rank: np.ndarray


def make_slots(seed: int) -> Slots:
    j = np.arange(K)
    province = np.array(BIRTH_PROVINCES)[
        synth.weighted(synth.unit(seed, "slot-prov", j), BIRTH_WEIGHTS)
    ]
    male = synth.unit(seed, "slot-sex", j) < 0.5
    year = FIRST_YEAR + synth.weighted(synth.unit(seed, "slot-year", j), birth_year_weights())
    bucket = (province * 2 + male) * 10_000 + year
    order = np.argsort(bucket, kind="stable")
    sorted_b = bucket[order]
    starts = np.searchsorted(sorted_b, sorted_b, side="left")
    rank = np.empty(K, dtype=np.int64)
    rank[order] = np.arange(K) - starts
    _, inverse, counts = np.unique(bucket, return_inverse=True, return_counts=True)
    return Slots(province, male, year, counts[inverse], rank)


class People:
    """The population of one seed, placed in the given communes."""

    def __init__(self, seed: int, communes: list[Commune]) -> None:
        self.seed = seed
        self.communes = communes
        self.slots = make_slots(seed)
        self._perm = synth.affine_permutation(seed, "cccd", 1_000_000)

    @cached_property
    def commune_weights(self) -> np.ndarray:
        """Where people live: wards are denser than communes; Bạch Long Vĩ is a garrison."""
        dens = {"phuong": 3.0, "xa": 1.4, "dac_khu": 0.6}
        w = np.array([dens[c.kind] for c in self.communes])
        return np.where([c.name.endswith("Bạch Long Vĩ") for c in self.communes], 0.01, w)

    def slots_born(self, first: int, last: int) -> np.ndarray:
        """The slots whose birth year lies in first…last (for pupils, teachers, owners)."""
        return np.flatnonzero((self.slots.year >= first) & (self.slots.year <= last))

    def among(self, slots: np.ndarray, k: np.ndarray) -> np.ndarray:
        """The k-th person born in `slots`: distinct k give distinct persons."""
        return np.asarray(slots[k % len(slots)] + K * (k // len(slots)))

    # -- attributes of persons i ------------------------------------------------------

    def birth_year(self, i: np.ndarray) -> np.ndarray:
        return np.asarray(self.slots.year[i % K])

    def male(self, i: np.ndarray) -> np.ndarray:
        return np.asarray(self.slots.male[i % K])

    def citizen_id(self, i: np.ndarray) -> pa.Array:
        slot = i % K
        serial = (i // K) * self.slots.stride[slot] + self.slots.rank[slot]
        a, b = self._perm
        # a per-prefix offset keeps equal serials of different prefixes from looking alike
        prefix = (self.slots.province * 2 + self.slots.male) * 10_000 + self.slots.year
        offset = (synth.hashed(self.seed, "cccd-prefix", prefix) % np.uint64(1_000_000)).astype(
            np.int64
        )
        scrambled = (serial * a + b + offset[slot]) % 1_000_000
        return synth.citizen_ids(
            self.slots.province[slot], self.slots.male[slot], self.slots.year[slot], scrambled
        )

    def birth_date(self, i: np.ndarray) -> np.ndarray:
        """datetime64[D] birth dates within each person's birth year."""
        year = self.birth_year(i)
        start = (year - 1970).astype("datetime64[Y]").astype("datetime64[D]")
        length = np.where((year % 4 == 0) & ((year % 100 != 0) | (year % 400 == 0)), 366, 365)
        day = synth.below(self.seed, "dob", i, 366) % length
        return np.asarray(start + day.astype("timedelta64[D]"))

    def full_name(self, i: np.ndarray) -> pa.Array:
        male = self.male(i)
        year = self.birth_year(i)
        sur = synth.weighted(synth.unit(self.seed, "surname", i), names.SURNAME_WEIGHTS)
        u_mid = synth.unit(self.seed, "middle", i)
        u_given = synth.unit(self.seed, "given", i)
        p_trad = np.where(year < 1980, 0.55, np.where(year < 2000, 0.3, 0.08))
        trad = synth.unit(self.seed, "traditional", i) < p_trad
        mid_m = np.array(names.MIDDLE_MALE)[(u_mid * len(names.MIDDLE_MALE)).astype(int)]
        mid_f = np.array(names.MIDDLE_FEMALE)[(u_mid * len(names.MIDDLE_FEMALE)).astype(int)]
        given_m = np.array(names.GIVEN_MALE)[(u_given * len(names.GIVEN_MALE)).astype(int)]
        given_f = np.array(names.GIVEN_FEMALE)[(u_given * len(names.GIVEN_FEMALE)).astype(int)]
        middle = np.where(
            trad,
            np.where(male, names.TRADITIONAL_MALE, names.TRADITIONAL_FEMALE),
            np.where(male, mid_m, mid_f),
        )
        given = np.where(male, given_m, given_f)
        surname = synth.pick(names.SURNAMES, sur)
        return synth.join(surname, pa.array(middle), pa.array(given), sep=" ")

    def commune(self, i: np.ndarray) -> np.ndarray:
        """Index into `communes` of where each person lives; most born in Hải Dương stay
        in its former communes."""
        w = self.commune_weights
        former_hd = np.array([c.former_province == "30" for c in self.communes])
        anywhere = synth.weighted(synth.unit(self.seed, "home", i), w)
        in_hd = synth.weighted(synth.unit(self.seed, "home", i), np.where(former_hd, w, 0.0))
        stay = (self.slots.province[i % K] == 30) & (synth.unit(self.seed, "stay", i) < 0.85)
        return np.where(stay, in_hd, anywhere)

    def commune_codes(self, idx: np.ndarray) -> pa.Array:
        return synth.pick([c.code for c in self.communes], idx)

    def address(self, i: np.ndarray, idx: np.ndarray) -> pa.Array:
        """ "Số 12 Lạch Tray" in wards, "Thôn Đông Lạc" in communes (without the commune)."""
        urban = np.array([c.kind == "phuong" for c in self.communes])[idx]
        number = 1 + synth.below(self.seed, "house", i, 400)
        street = synth.below(self.seed, "street", i, len(names.STREETS))
        first = synth.below(self.seed, "village1", i, len(names.VILLAGE_FIRST))
        second = synth.below(self.seed, "village2", i, len(names.VILLAGE_SECOND))
        in_town = synth.join("Số ", synth.text(number), " ", synth.pick(names.STREETS, street))
        village = synth.join(
            "Thôn ",
            synth.pick(names.VILLAGE_FIRST, first),
            " ",
            synth.pick(names.VILLAGE_SECOND, second),
        )
        return pc.if_else(pa.array(urban), in_town, village)
