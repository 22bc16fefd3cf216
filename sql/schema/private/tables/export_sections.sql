-- TABLE: export_sections
CREATE TABLE private.export_sections (
    section text NOT NULL,
    query text NOT NULL,
    CONSTRAINT export_sections_section_check CHECK ((section ~ '^[a-z_]+$'::text))
);

-- COMMENT: TABLE export_sections
COMMENT ON TABLE private.export_sections IS 'Extra sections of the account export: name and a query of $1 (the user id) returning JSON.';

-- COMMENT: COLUMN export_sections.section
COMMENT ON COLUMN private.export_sections.section IS 'Key in the export document.';

-- COMMENT: COLUMN export_sections.query
COMMENT ON COLUMN private.export_sections.query IS 'SQL returning one json value for user $1 (written by migrations only).';

-- CONSTRAINT: export_sections export_sections_pkey
ALTER TABLE ONLY private.export_sections
    ADD CONSTRAINT export_sections_pkey PRIMARY KEY (section);

-- ROW SECURITY: export_sections
ALTER TABLE private.export_sections ENABLE ROW LEVEL SECURITY;
