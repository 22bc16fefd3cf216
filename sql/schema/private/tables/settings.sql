-- TABLE: settings
CREATE TABLE private.settings (
    key text NOT NULL,
    value jsonb NOT NULL,
    description text NOT NULL,
    default_value jsonb NOT NULL,
    CONSTRAINT settings_key_check CHECK ((key ~ '^[a-z][a-z0-9_]*$'::text))
);

-- COMMENT: TABLE settings
COMMENT ON TABLE private.settings IS 'Operational knobs (key -> JSON value), read via hidden.setting() or directly by hot paths: value is the one in force. Migrations declare defaults (insert a new key; private.change_setting_default for an existing one), operators override them (private.set_setting / reset_setting, whatssound settings).';

-- COMMENT: COLUMN settings.key
COMMENT ON COLUMN private.settings.key IS 'Setting name, snake_case.';

-- COMMENT: COLUMN settings.value
COMMENT ON COLUMN private.settings.value IS 'The value in force, which every reader reads: the operator''s override (private.setting_overrides) if any, else default_value. Written only by private.set_setting, reset_setting and change_setting_default, never by a migration.';

-- COMMENT: COLUMN settings.description
COMMENT ON COLUMN private.settings.description IS 'What the setting controls, for operators.';

-- COMMENT: COLUMN settings.default_value
COMMENT ON COLUMN private.settings.default_value IS 'The default the migrations declare (JSON number, boolean, string, array or object): the inserted value of a new key, then private.change_setting_default. An override must have its JSON type.';

-- CONSTRAINT: settings settings_pkey
ALTER TABLE ONLY private.settings
    ADD CONSTRAINT settings_pkey PRIMARY KEY (key);

-- TRIGGER: settings _100_default_value
CREATE TRIGGER _100_default_value BEFORE INSERT ON private.settings FOR EACH ROW EXECUTE FUNCTION private.tg_settings__default_value();

-- ROW SECURITY: settings
ALTER TABLE private.settings ENABLE ROW LEVEL SECURITY;
