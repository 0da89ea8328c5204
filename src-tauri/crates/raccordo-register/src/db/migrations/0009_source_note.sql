-- Raccordo register, schema 9: where an administration's data came from when it came
-- from a file (the IPA list: which file, as of when, imported when), as a field of the
-- record, so that every office that receives it reads it too.
ALTER TABLE administration ADD COLUMN source_note TEXT;
