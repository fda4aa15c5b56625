"""IMAP mailboxes that receive group notification e-mails (the standard library's imaplib,
run in a thread). This package is the only importer of imaplib."""

from pipelineos.integrations.imap.mailbox import Mailbox, MailboxAddress, read_message

__all__ = ["Mailbox", "MailboxAddress", "read_message"]
