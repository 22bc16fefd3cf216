-- VIEW: setting_values
CREATE VIEW private.setting_values WITH (security_invoker='true') AS
 SELECT s.key,
    s.default_value,
    o.value AS override_value,
    s.value AS effective_value,
    o.changed_by,
    o.changed_at,
    o.reason,
    s.description
   FROM (private.settings s
     LEFT JOIN private.setting_overrides o ON ((s.key = o.key)));

-- COMMENT: VIEW setting_values
COMMENT ON VIEW private.setting_values IS 'Every setting: default, override, value in force, and who set the override, when and why (whatssound settings list).';

-- COMMENT: COLUMN setting_values.key
COMMENT ON COLUMN private.setting_values.key IS 'Setting name.';

-- COMMENT: COLUMN setting_values.default_value
COMMENT ON COLUMN private.setting_values.default_value IS 'The default the migrations declare.';

-- COMMENT: COLUMN setting_values.override_value
COMMENT ON COLUMN private.setting_values.override_value IS 'The operator''s override (null: none).';

-- COMMENT: COLUMN setting_values.effective_value
COMMENT ON COLUMN private.setting_values.effective_value IS 'The value every reader gets.';

-- COMMENT: COLUMN setting_values.changed_by
COMMENT ON COLUMN private.setting_values.changed_by IS 'Who set the override.';

-- COMMENT: COLUMN setting_values.changed_at
COMMENT ON COLUMN private.setting_values.changed_at IS 'When the override was set.';

-- COMMENT: COLUMN setting_values.reason
COMMENT ON COLUMN private.setting_values.reason IS 'Why the override was set.';

-- COMMENT: COLUMN setting_values.description
COMMENT ON COLUMN private.setting_values.description IS 'What the setting controls.';
