-- 013_customer.sql: the customer portal. A user of role 'customer' is bound
-- to one customer (the name work_orders.customer carries); the server lets
-- it see only objects owned by that customer.
ALTER TABLE users ADD COLUMN customer TEXT;
