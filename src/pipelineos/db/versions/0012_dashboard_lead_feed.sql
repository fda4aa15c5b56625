-- The dashboard's live inbox: every statement that adds leads tells listeners (one notification
-- per statement, so a bulk import of thousands of leads is one wake-up, not thousands). The
-- payload is empty: listeners ask for the leads newer than the last one they showed.
CREATE FUNCTION notify_leads_added() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    PERFORM pg_notify('pipelineos_leads', '');
    RETURN NULL;
END $$;
CREATE TRIGGER leads_added AFTER INSERT ON leads
    FOR EACH STATEMENT EXECUTE FUNCTION notify_leads_added();

-- The inbox's "hot and new" strip: high-priority leads still new, newest first.
CREATE INDEX leads_hot_new_idx ON leads (id DESC) WHERE status = 'new' AND priority = 'high';
