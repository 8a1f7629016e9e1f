"""The worker builds research exports. The task carries the request's id only; building reads
the database afresh, so the queue holds no data."""

from django_tasks import task

from research.services import research_export_build


# Its own queue and worker: an export takes minutes, and emails such as sign-in codes must not
# wait behind one. (Below the default priority too, where one worker runs every queue.)
@task(priority=-10, queue_name="research")
def build_research_export(export_id: int) -> None:
    research_export_build(export_id=export_id)
