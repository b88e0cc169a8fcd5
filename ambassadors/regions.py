"""The world regions of the ambassadors directory (the United Nations geoscheme's continents),
keyed by ISO 3166-1 alpha-2 country code."""

from django.utils.translation import gettext_lazy as _

REGIONS = {
    "africa": _("Africa"),
    "americas": _("Americas"),
    "asia": _("Asia"),
    "europe": _("Europe"),
    "oceania": _("Oceania"),
}

_COUNTRIES = {
    "africa": (
        "AO BF BI BJ BW CD CF CG CI CM CV DJ DZ EG EH ER ET GA GH GM GN GQ GW IO KE KM LR LS LY "
        "MA MG ML MR MU MW MZ NA NE NG RE RW SC SD SH SL SN SO SS ST SZ TD TF TG TN TZ UG YT ZA "
        "ZM ZW"
    ),
    "americas": (
        "AG AI AR AW BB BL BM BO BQ BR BS BV BZ CA CL CO CR CU CW DM DO EC FK GD GF GL GP GS GT "
        "GY HN HT JM KN KY LC MF MQ MS MX NI PA PE PM PR PY SR SV SX TC TT UM US UY VC VE VG VI"
    ),
    "asia": (
        "AE AF AM AZ BD BH BN BT CN CY GE HK ID IL IN IQ IR JO JP KG KH KP KR KW KZ LA LB LK MM "
        "MN MO MV MY NP OM PH PK PS QA SA SG SY TH TJ TL TM TR TW UZ VN YE"
    ),
    "europe": (
        "AD AL AT AX BA BE BG BY CH CZ DE DK EE ES FI FO FR GB GG GI GR HR HU IE IM IS IT JE LI "
        "LT LU LV MC MD ME MK MT NL NO PL PT RO RS RU SE SI SJ SK SM UA VA XK"
    ),
    "oceania": (
        "AQ AS AU CC CK CX FJ FM GU HM KI MH MP NC NF NR NU NZ PF PG PN PW SB TK TO TV VU WF WS"
    ),
}

REGION_OF_COUNTRY = {code: region for region, codes in _COUNTRIES.items() for code in codes.split()}


def region_of(country_code: str) -> str:
    """The region key of a country; "americas" and the others, or "" for an unknown code."""
    return REGION_OF_COUNTRY.get(country_code.upper(), "")
