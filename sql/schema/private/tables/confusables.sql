-- TABLE: confusables
CREATE TABLE private.confusables (
    source text NOT NULL,
    prototype text NOT NULL,
    CONSTRAINT confusables_prototype_check CHECK ((char_length(prototype) >= 1)),
    CONSTRAINT confusables_source_check CHECK ((char_length(source) = 1))
);

-- COMMENT: TABLE confusables
COMMENT ON TABLE private.confusables IS 'UTS #39 confusables.txt 13.0.0: each character and the prototype it is confusable with (for skeletons).';

-- COMMENT: COLUMN confusables.source
COMMENT ON COLUMN private.confusables.source IS 'The character (one code point, as found in NFD text).';

-- COMMENT: COLUMN confusables.prototype
COMMENT ON COLUMN private.confusables.prototype IS 'What it maps to in a skeleton (one or more code points).';

-- CONSTRAINT: confusables confusables_pkey
ALTER TABLE ONLY private.confusables
    ADD CONSTRAINT confusables_pkey PRIMARY KEY (source);

-- ROW SECURITY: confusables
ALTER TABLE private.confusables ENABLE ROW LEVEL SECURITY;
