"""The numbers behind each chart and table of the outcomes page, as rows, after suppression:
a hidden count is an empty value in CSV and null in JSON, never the real number."""

from outcomes.selectors import OutcomesSummary


def _share(proportion):
    if proportion is None or proportion.share is None:
        return None, None, None
    return round(proportion.share, 4), round(proportion.low, 4), round(proportion.high, 4)


def table_rows(summary: OutcomesSummary, table: str) -> tuple[list[str], list[list]]:
    if table == "over-time":
        header = ["months_after_treatment", "could_have_reported", "reported", "said_better",
                  "said_not_better", "gave_no_result", "share_better", "share_better_low95",
                  "share_better_high95", "best_case_share", "worst_case_share"]
        rows = []
        for tp in summary.time_points:
            observed = _share(tp.bounds.observed) if tp.bounds else (None, None, None)
            rows.append([tp.months, tp.eligible, tp.reporting, tp.better, tp.not_better,
                         tp.no_result, *observed,
                         round(tp.bounds.best.share, 4) if tp.bounds else None,
                         round(tp.bounds.worst.share, 4) if tp.bounds else None])
        return header, rows
    if table == "benefit-lasting" or table == "relapse-free":
        curve = summary.benefit_lasting if table == "benefit-lasting" else summary.relapse_free
        header = ["months_after_treatment", "share_without_event", "low95", "high95",
                  "still_followed"]
        # Whole months only: finer times would show single people's events as steps.
        rows = [[p.time, round(p.survival, 4),
                 None if p.low is None else round(p.low, 4),
                 None if p.high is None else round(p.high, 4), p.followed]
                for p in (curve.points if curve else ())]
        return header, rows
    if table == "symptoms":
        header = ["months_after_treatment", "symptom", "better", "same", "worse",
                  "share_better", "share_better_low95", "share_better_high95"]
        rows = [[months, row.symptom, row.counts["better"], row.counts["same"],
                 row.counts["worse"], *_share(row.better)]
                for months, symptom_rows in summary.symptoms.items() for row in symptom_rows]
        return header, rows
    if table == "complications":
        return ["complication", "people"], [[k, n] for k, n in summary.complications.items()]
    if table == "groups":
        header = ["grouped_by", "group", "people", "said_better", "share_better",
                  "share_better_low95", "share_better_high95"]
        rows = [[attribute, row.value, row.people, row.better, *_share(row.share)]
                for attribute, group_rows in summary.breakdowns.items() for row in group_rows]
        return header, rows
    raise KeyError(table)


TABLES = ["over-time", "benefit-lasting", "relapse-free", "symptoms", "complications", "groups"]
