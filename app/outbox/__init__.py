"""The outbox: every email is a row first, and a worker sends it later."""
