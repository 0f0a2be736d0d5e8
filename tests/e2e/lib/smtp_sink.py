# A real SMTP server for the e2e tests (aiosmtpd, Debian python3-aiosmtpd; run with /usr/bin/python3).
# Usage: /usr/bin/python3 smtp_sink.py PORT DIR
# Writes each accepted message as DIR/<n>.eml and DIR/<n>.json ({message_id, subject, from, to,
# text, html}, headers decoded) and prints "ready" once listening. Stops on SIGTERM/SIGINT.
import email
import email.policy
import json
import os
import signal
import sys
import threading
import uuid

from aiosmtpd.controller import Controller


class Sink:
    def __init__(self, folder):
        self.folder = folder

    async def handle_DATA(self, server, session, envelope):
        raw = envelope.original_content or envelope.content
        msg = email.message_from_bytes(raw, policy=email.policy.default)
        text = msg.get_body(preferencelist=('plain',))
        html = msg.get_body(preferencelist=('html',))
        name = uuid.uuid4().hex
        record = {
            'message_id': str(msg['Message-ID']),
            'subject': str(msg['Subject']),
            'from': str(msg['From']),
            'to': str(msg['To']),
            'rcpt': list(envelope.rcpt_tos),
            'content_type': msg.get_content_type(),
            'text': text.get_content() if text else '',
            'html': html.get_content() if html else '',
        }
        with open(os.path.join(self.folder, name + '.eml'), 'wb') as f:
            f.write(raw)
        tmp = os.path.join(self.folder, name + '.tmp')
        with open(tmp, 'w', encoding='utf-8') as f:
            json.dump(record, f, ensure_ascii=False)
        os.rename(tmp, os.path.join(self.folder, name + '.json'))
        return '250 Message accepted for delivery'


def main():
    port, folder = int(sys.argv[1]), sys.argv[2]
    os.makedirs(folder, exist_ok=True)
    controller = Controller(Sink(folder), hostname='127.0.0.1', port=port)
    controller.start()
    print('ready', flush=True)
    done = threading.Event()
    signal.signal(signal.SIGTERM, lambda *_: done.set())
    signal.signal(signal.SIGINT, lambda *_: done.set())
    done.wait()
    controller.stop()


if __name__ == '__main__':
    main()
