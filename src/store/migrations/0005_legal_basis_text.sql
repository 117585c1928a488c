-- The legal basis also as text on the procedure ("; "-joined, in citation order), as
-- revisions keep it: reading and diffing a catalogue compare one column instead of
-- gathering rows. The store writes both together; procedure_legal_basis stays the index
-- of which procedures cite a document.
ALTER TABLE procedure ADD COLUMN legal_basis TEXT NOT NULL DEFAULT '';
UPDATE procedure SET legal_basis = COALESCE(
    (SELECT group_concat(b.document_number, '; ' ORDER BY b.position)
     FROM procedure_legal_basis b WHERE b.procedure_id = procedure.procedure_id), '');
