-- TABLE: setting_overrides
CREATE TABLE private.setting_overrides (
    key text NOT NULL,
    value jsonb NOT NULL,
    changed_by text NOT NULL,
    changed_at timestamp with time zone DEFAULT now() NOT NULL,
    reason text NOT NULL,
    CONSTRAINT setting_overrides_changed_by_check CHECK (((char_length(changed_by) >= 1) AND (char_length(changed_by) <= 100))),
    CONSTRAINT setting_overrides_reason_check CHECK (((char_length(reason) >= 1) AND (char_length(reason) <= 500)))
);

-- COMMENT: TABLE setting_overrides
COMMENT ON TABLE private.setting_overrides IS 'Operators'' values for settings, kept apart from the defaults so no migration ever touches them (whatssound settings set/reset).';

-- COMMENT: COLUMN setting_overrides.key
COMMENT ON COLUMN private.setting_overrides.key IS 'The setting overridden (private.settings.key).';

-- COMMENT: COLUMN setting_overrides.value
COMMENT ON COLUMN private.setting_overrides.value IS 'The value in force instead of the default; same JSON type as the default.';

-- COMMENT: COLUMN setting_overrides.changed_by
COMMENT ON COLUMN private.setting_overrides.changed_by IS 'Who set it (the operator''s name, from whatssound settings set --by).';

-- COMMENT: COLUMN setting_overrides.changed_at
COMMENT ON COLUMN private.setting_overrides.changed_at IS 'When it was last set.';

-- COMMENT: COLUMN setting_overrides.reason
COMMENT ON COLUMN private.setting_overrides.reason IS 'Why, in the operator''s words.';

-- CONSTRAINT: setting_overrides setting_overrides_pkey
ALTER TABLE ONLY private.setting_overrides
    ADD CONSTRAINT setting_overrides_pkey PRIMARY KEY (key);

-- FK CONSTRAINT: setting_overrides setting_overrides_key_fkey
ALTER TABLE ONLY private.setting_overrides
    ADD CONSTRAINT setting_overrides_key_fkey FOREIGN KEY (key) REFERENCES private.settings(key) ON DELETE CASCADE;

-- ROW SECURITY: setting_overrides
ALTER TABLE private.setting_overrides ENABLE ROW LEVEL SECURITY;
