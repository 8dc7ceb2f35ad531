"""E-mail notifications: the daily digest of each officer (and of auditors who ask).

- `digest`: what a user's digest says, in their language: new flags of their city,
  contracts ending within the warning window, citizen reports waiting, and review
  assignments due (where review campaigns exist);
- `mail`: the SMTP server of the settings (SMTP_HOST, ...), and the messages;
- `send_digests` (`sending`): every recipient's digest of the day, sent once a day
  (`digest_sent`), by `inventory digest` and the nightly jobs.
"""
