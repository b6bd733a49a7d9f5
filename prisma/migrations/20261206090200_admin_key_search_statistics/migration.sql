-- SQLite's planner weighs indexes by the statistics ANALYZE keeps. A database analysed before the
-- two migrations above has none for their indexes, and SQLite then takes them for 20 times more
-- selective than they are, and reads them where the owner index is the one to read. The keys'
-- statistics are taken again, for every index, so that they all count alike. (An empty table keeps
-- none.)
ANALYZE "ApiKey";
