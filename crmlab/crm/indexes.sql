-- Secondary indexes of the CRM store, built after a bulk load (faster than keeping them up to date row by row).
CREATE INDEX IF NOT EXISTS ix_contacts_account ON contacts(account_id);
CREATE INDEX IF NOT EXISTS ix_opportunities_account ON opportunities(account_id);
CREATE INDEX IF NOT EXISTS ix_orders_account ON orders(account_id);
CREATE INDEX IF NOT EXISTS ix_receivables_account ON receivables(account_id);
CREATE INDEX IF NOT EXISTS ix_service_account ON service_requests(account_id);
