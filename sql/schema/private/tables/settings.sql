-- TABLE: settings
CREATE TABLE private.settings (
    key text NOT NULL,
    value jsonb NOT NULL,
    description text NOT NULL,
    CONSTRAINT settings_key_check CHECK ((key ~ '^[a-z][a-z0-9_]*$'::text))
);

-- COMMENT: TABLE settings
COMMENT ON TABLE private.settings IS 'Operational knobs (key -> JSON value), read via hidden.setting().';

-- COMMENT: COLUMN settings.key
COMMENT ON COLUMN private.settings.key IS 'Setting name, snake_case.';

-- COMMENT: COLUMN settings.value
COMMENT ON COLUMN private.settings.value IS 'Setting value as JSON (number, boolean or string).';

-- COMMENT: COLUMN settings.description
COMMENT ON COLUMN private.settings.description IS 'What the setting controls, for operators.';

-- CONSTRAINT: settings settings_pkey
ALTER TABLE ONLY private.settings
    ADD CONSTRAINT settings_pkey PRIMARY KEY (key);

-- ROW SECURITY: settings
ALTER TABLE private.settings ENABLE ROW LEVEL SECURITY;
