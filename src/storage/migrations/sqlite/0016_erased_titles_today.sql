-- RULES.md "Points": a title earns once per card and day. The check reads the day's credited loans'
-- titles; a patron who erases the history (RULES.md "Privacy") takes those titles away, and the same
-- title borrowed again that day would earn again. So erasing keeps, unshown, the titles of loans
-- credited that same day until the day is over: the sweeper deletes past days. Nothing else reads it.
CREATE TABLE erased_titles_today (
  card   TEXT NOT NULL REFERENCES cards(number),
  day    TEXT NOT NULL,      -- the local day the loan was credited
  bib_id INTEGER NOT NULL,
  PRIMARY KEY (card, day, bib_id)
) WITHOUT ROWID;
CREATE INDEX erased_titles_today_by_day ON erased_titles_today(day);
