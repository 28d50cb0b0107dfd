"""The dispatch limit: `python -m bench.smtp_baseline PORT FILE` sends the messages
saved by the sink with plain smtplib over one connection, and prints the seconds it took."""

import base64
import json
import smtplib
import sys
import time


def main() -> None:
    port, path = int(sys.argv[1]), sys.argv[2]
    with open(path) as file:
        messages = [base64.b64decode(item) for item in json.load(file)]
    start = time.perf_counter()
    with smtplib.SMTP("127.0.0.1", port, timeout=30) as connection:
        for raw in messages:
            connection.sendmail("clinic@clinic.example", ["patient@example.org"], raw)
    print(time.perf_counter() - start)


if __name__ == "__main__":
    main()
