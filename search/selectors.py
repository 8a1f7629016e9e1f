"""What the search filters offer: only values some visible document has."""

from django_countries import countries

from search.models import SearchDocument
from treatments.models import Treatment


def _values(field: str) -> list:
    return list(
        SearchDocument.objects.visible()
        .exclude(**{f"{field}__isnull": True})
        .exclude(**{field: ""} if field == "country" else {})
        .order_by()
        .values_list(field, flat=True)
        .distinct()
    )


def search_filter_choices() -> dict[str, list[tuple[str, str]]]:
    """Choices for the treatment, country and year filters, each (value, label)."""
    names = dict(countries)
    country_codes = _values("country")
    treatment_ids = _values("treatment_id")
    return {
        "treatment": [
            (t.slug, t.name) for t in Treatment.objects.filter(pk__in=treatment_ids)
        ],
        "country": sorted(
            ((code, str(names.get(code, code))) for code in country_codes),
            key=lambda pair: pair[1],
        ),
        "treated_year": [(str(y), str(y)) for y in sorted(_values("treated_year"), reverse=True)],
    }
