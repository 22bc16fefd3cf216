"""``whatssound ops``: files for the monitoring stack."""

from __future__ import annotations

from pathlib import Path
from typing import Annotated

import typer
from pydantic import ValidationError

from whatssound_svc import alerts as alert_rules
from whatssound_svc.settings import Settings, get_settings

app = typer.Typer(help="Files for the monitoring stack (Prometheus alert rules).", no_args_is_help=True)


@app.command()
def alerts(
    runbook_base: Annotated[
        str | None,
        typer.Option(
            "--runbook-base",
            envvar="WHATSSOUND_RUNBOOK_BASE_URL",
            show_default=False,
            help="Where the repository's docs/ folder is published (http or https). Default: setting"
            " runbook_base_url (https://whatssound.app/docs/, what ops/alerts.yml carries).",
        ),
    ] = None,
    output: Annotated[
        Path | None,
        typer.Option(envvar="WHATSSOUND_ALERTS_OUTPUT", show_default=False, help="Write here, not stdout."),
    ] = None,
) -> None:
    """Print ops/alerts.yml with every runbook_url under RUNBOOK_BASE (<base>runbook.md#<alert>).

    Example: whatssound ops alerts --runbook-base https://github.com/acme/whatssound/blob/main/docs/
    --output /etc/prometheus/rules/whatssound.yml
    """
    try:
        settings = Settings(runbook_base_url=runbook_base) if runbook_base else get_settings()
    except ValidationError as exc:
        problems = "; ".join(
            ".".join(map(str, error["loc"])) + ": " + error["msg"] if error["loc"] else error["msg"]
            for error in exc.errors()
        )
        raise typer.BadParameter(problems, param_hint="--runbook-base (or the settings)") from exc
    rules = alert_rules.rebased(alert_rules.ALERTS_FILE.read_text(), str(settings.runbook_base_url))
    if output is None:
        typer.echo(rules, nl=False)
    else:
        output.write_text(rules)
        typer.echo(f"wrote {output}", err=True)
