-- SIP2 (docs/sip2.md): a kiosk replaying an offline checkout (no-block Y) records the loan even
-- where the rules would refuse it; the rule it broke is kept here for staff review.
ALTER TABLE loans ADD COLUMN review_reason TEXT;
CREATE INDEX loans_for_review ON loans(id) WHERE review_reason IS NOT NULL;
