"""Countries grouped into world regions, for research exports where a country is too rare to
name. Regions follow the United Nations M49 continental groups, with the Americas split into
Northern America and Latin America and the Caribbean (as M49 does one level down)."""

from django.utils.translation import gettext_lazy as _

REGIONS = {
    "africa": _("Africa"),
    "asia": _("Asia"),
    "europe": _("Europe"),
    "latin_america_caribbean": _("Latin America and the Caribbean"),
    "northern_america": _("Northern America"),
    "oceania": _("Oceania"),
}

_COUNTRIES_BY_REGION = {
    "africa": (
        "AO BF BI BJ BW CD CF CG CI CM CV DJ DZ EG EH ER ET GA GH GM GN GQ GW IO KE KM LR LS LY "
        "MA MG ML MR MU MW MZ NA NE NG RE RW SC SD SH SL SN SO SS ST SZ TD TF TG TN TZ UG YT ZA "
        "ZM ZW"
    ),
    "asia": (
        "AE AF AM AZ BD BH BN BT CN CY GE HK ID IL IN IQ IR JO JP KG KH KP KR KW KZ LA LB LK MM "
        "MN MO MV MY NP OM PH PK PS QA SA SG SY TH TJ TL TM TR TW UZ VN YE"
    ),
    "europe": (
        "AD AL AT AX BA BE BG BY CH CZ DE DK EE ES FI FO FR GB GG GI GR HR HU IE IM IS IT JE LI "
        "LT LU LV MC MD ME MK MT NL NO PL PT RO RS RU SE SI SJ SK SM UA VA"
    ),
    "latin_america_caribbean": (
        "AG AI AR AW BB BL BO BQ BR BS BV BZ CL CO CR CU CW DM DO EC FK GD GF GP GS GT GY HN HT "
        "JM KN KY LC MF MQ MS MX NI PA PE PR PY SR SV SX TC TT UY VC VE VG VI"
    ),
    "northern_america": "BM CA GL PM US",
    "oceania": (
        "AS AU CC CK CX FJ FM GU HM KI MH MP NC NF NR NU NZ PF PG PN PW SB TK TO TV UM VU WF WS"
    ),
}

REGION_OF_COUNTRY = {
    code: region for region, codes in _COUNTRIES_BY_REGION.items() for code in codes.split()
}
# Antarctica belongs to no region: anyone there is "other", which is also where rare regions go.
OTHER = "other"


def region_of(country: str) -> str:
    return REGION_OF_COUNTRY.get(country, OTHER)
