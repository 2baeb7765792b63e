"""The rubric as data: ``model`` (what a profile is), ``loading`` (TOML → model, every key
checked), ``inheritance`` (the shipped files and ``extends``)."""

from udfs.errors import ProfileError
from udfs.profile.inheritance import available_profiles, profile_origin, user_default, user_profile_dir
from udfs.profile.loading import load_profile, parse_profile
from udfs.profile.model import (
    ADJUST_DENOMINATORS,
    DEDUCTIVE,
    DEFAULT_PROFILE,
    KINDS,
    QUANTITATIVE,
    RATED,
    WHOLE,
    Band,
    Condition,
    Indicator,
    Options,
    Over,
    Part,
    Profile,
)

__all__ = [
    "ADJUST_DENOMINATORS", "DEDUCTIVE", "DEFAULT_PROFILE", "KINDS", "QUANTITATIVE", "RATED", "WHOLE",
    "Band", "Condition", "Indicator", "Options", "Over", "Part", "Profile", "ProfileError",
    "available_profiles", "load_profile", "parse_profile", "profile_origin", "user_default", "user_profile_dir",
]
