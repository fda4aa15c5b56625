"""Leads: the posts worth acting on, and their progress.

Read and change leads through :class:`pipelineos.leads.service.LeadService` (``runtime.leads``);
``store`` holds its statements on a caller's connection, ``pipeline`` the statuses, ``areas``
the service areas and services.
"""
