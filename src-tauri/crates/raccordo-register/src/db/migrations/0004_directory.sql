-- Raccordo register, schema 4: the directory of administrations (ISTAT snapshot) is
-- loaded by this migration's step, in its transaction: a register is never left
-- without it, nor with half of it. Files that already hold it are left as they are.
SELECT 1;
