"""Running the outbox commands the way cron or an operator would."""


def send_due(runner, now: str | None = None):
    args = ["outbox", "send-due"] + (["--now", now] if now else [])
    result = runner.invoke(args=args, catch_exceptions=False)
    assert result.exit_code == 0, result.output
    return result.output
