-- TABLE: setting_changes
CREATE TABLE private.setting_changes (
    id bigint NOT NULL,
    key text NOT NULL,
    change text NOT NULL,
    previous_value jsonb,
    new_value jsonb NOT NULL,
    changed_by text NOT NULL,
    changed_at timestamp with time zone DEFAULT now() NOT NULL,
    reason text NOT NULL,
    CONSTRAINT setting_changes_change_check CHECK ((change = ANY (ARRAY['set'::text, 'reset'::text, 'default'::text]))),
    CONSTRAINT setting_changes_changed_by_check CHECK (((char_length(changed_by) >= 1) AND (char_length(changed_by) <= 100))),
    CONSTRAINT setting_changes_key_check CHECK ((key ~ '^[a-z][a-z0-9_]*$'::text)),
    CONSTRAINT setting_changes_reason_check CHECK (((char_length(reason) >= 1) AND (char_length(reason) <= 500)))
);

-- COMMENT: TABLE setting_changes
COMMENT ON TABLE private.setting_changes IS 'Append-only history of every settings change: operators'' overrides set and reset, and defaults a migration changed.';

-- COMMENT: COLUMN setting_changes.id
COMMENT ON COLUMN private.setting_changes.id IS 'Order of the changes.';

-- COMMENT: COLUMN setting_changes.key
COMMENT ON COLUMN private.setting_changes.key IS 'The setting changed.';

-- COMMENT: COLUMN setting_changes.change
COMMENT ON COLUMN private.setting_changes.change IS 'set: an operator set an override; reset: an operator dropped it (the default is in force again); default: a migration changed the default.';

-- COMMENT: COLUMN setting_changes.previous_value
COMMENT ON COLUMN private.setting_changes.previous_value IS 'set: the override it replaced (null: none); reset: the value in force before; default: the previous default.';

-- COMMENT: COLUMN setting_changes.new_value
COMMENT ON COLUMN private.setting_changes.new_value IS 'set: the override; reset: the default now in force; default: the new default.';

-- COMMENT: COLUMN setting_changes.changed_by
COMMENT ON COLUMN private.setting_changes.changed_by IS 'The operator (set, reset), or the database role that ran the migration (default).';

-- COMMENT: COLUMN setting_changes.changed_at
COMMENT ON COLUMN private.setting_changes.changed_at IS 'When.';

-- COMMENT: COLUMN setting_changes.reason
COMMENT ON COLUMN private.setting_changes.reason IS 'Why: the operator''s reason, or the migration''s.';

-- SEQUENCE: setting_changes_id_seq
ALTER TABLE private.setting_changes ALTER COLUMN id ADD GENERATED ALWAYS AS IDENTITY (
    SEQUENCE NAME private.setting_changes_id_seq
    START WITH 1
    INCREMENT BY 1
    NO MINVALUE
    NO MAXVALUE
    CACHE 1
);

-- CONSTRAINT: setting_changes setting_changes_pkey
ALTER TABLE ONLY private.setting_changes
    ADD CONSTRAINT setting_changes_pkey PRIMARY KEY (id);

-- TRIGGER: setting_changes _100_append_only
CREATE TRIGGER _100_append_only BEFORE DELETE OR UPDATE ON private.setting_changes FOR EACH ROW EXECUTE FUNCTION private.tg_setting_changes__append_only();

-- TRIGGER: setting_changes _110_append_only
CREATE TRIGGER _110_append_only BEFORE TRUNCATE ON private.setting_changes FOR EACH STATEMENT EXECUTE FUNCTION private.tg_setting_changes__append_only();

-- ROW SECURITY: setting_changes
ALTER TABLE private.setting_changes ENABLE ROW LEVEL SECURITY;
