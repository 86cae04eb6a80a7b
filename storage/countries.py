"""ISO 3166 alpha-2 delegations and the names a UN document gives them."""

from __future__ import annotations

from functools import cache

import pycountry

from storage.errors import UnknownCountry

# Names as United Nations and ASEAN documents write them.
UN_NAMES = {
    "KH": "Cambodia",
    "LA": "Lao People's Democratic Republic",
    "PH": "Philippines",
    "TH": "Thailand",
    "KR": "Republic of Korea",
    "VN": "Viet Nam",
    "BN": "Brunei Darussalam",
    "MM": "Myanmar",
    "ID": "Indonesia",
    "MY": "Malaysia",
    "SG": "Singapore",
    "TL": "Timor-Leste",
    "CN": "China",
    "JP": "Japan",
    "US": "United States of America",
    "GB": "United Kingdom of Great Britain and Northern Ireland",
}


def normalize_code(code: str) -> str:
    """Return the upper-case alpha-2 code, or raise UnknownCountry."""
    candidate = code.strip().upper()
    if len(candidate) != 2 or not candidate.isascii() or not candidate.isalpha():
        raise UnknownCountry(code=code)
    if candidate not in UN_NAMES and pycountry.countries.get(alpha_2=candidate) is None:
        raise UnknownCountry(code=code)
    return candidate


# Other names a participant list may use for a delegation (compared case-insensitively).
ALIASES = {
    "lao pdr": "LA",
    "lao p.d.r.": "LA",
    "brunei": "BN",
    "timor leste": "TL",
    "east timor": "TL",
    "burma": "MM",
    "vietnam": "VN",
}


def delegation_code(value: str) -> str | None:
    """The alpha-2 code a participant list means: a code, or a country's name; else None.

    Accepts an ISO 3166 alpha-2 or alpha-3 code, the names pycountry knows (official,
    common, short), the names UN and ASEAN documents use (`Viet Nam`, `Lao PDR`), any case.
    """
    text = " ".join(value.split())
    if not text:
        return None
    try:
        return normalize_code(text)
    except UnknownCountry:
        pass
    folded = text.casefold()
    for code, name in UN_NAMES.items():
        if name.casefold() == folded:
            return code
    if folded in ALIASES:
        return ALIASES[folded]
    if text.isdigit():  # pycountry would take an ISO numeric code: nobody writes one
        return None
    try:
        return str(pycountry.countries.lookup(text).alpha_2)
    except LookupError:
        return None


@cache
def country_name(code: str) -> str:
    """The display name of a known alpha-2 code."""
    if code in UN_NAMES:
        return UN_NAMES[code]
    country = pycountry.countries.get(alpha_2=code)
    if country is None:
        return code
    return getattr(country, "common_name", None) or country.name
