-- Raccordo register, schema 5: how an agreement's signed file was found when it was
-- confirmed (signers verified against a trusted list, or confirmed under the user's
-- responsibility). Set only by the confirmation, like signed_file_sha256.
ALTER TABLE agreement ADD COLUMN signature_check TEXT;
