-- TABLE: audio_assets
CREATE TABLE public.audio_assets (
    object_id uuid NOT NULL,
    dj_id uuid NOT NULL,
    path text NOT NULL,
    object_version text,
    status public.audio_status DEFAULT 'queued'::public.audio_status NOT NULL,
    stage text,
    progress smallint DEFAULT 0 NOT NULL,
    attempts smallint DEFAULT 0 NOT NULL,
    failure_code text,
    failure_message text,
    size_bytes bigint,
    original_sha256 text,
    codec text,
    sample_rate integer,
    channels smallint,
    duration_s numeric(10,3),
    loudness_lufs numeric(6,2),
    true_peak_dbtp numeric(6,2),
    waveform real[],
    stream_path text,
    stream_bitrate integer,
    stream_bytes bigint,
    processed_at timestamp with time zone,
    created_at timestamp with time zone DEFAULT now() NOT NULL,
    updated_at timestamp with time zone DEFAULT now() NOT NULL,
    CONSTRAINT audio_assets_check CHECK (((status = 'failed'::public.audio_status) = (failure_code IS NOT NULL))),
    CONSTRAINT audio_assets_check1 CHECK (((status <> 'ready'::public.audio_status) OR ((stream_path IS NOT NULL) AND (duration_s IS NOT NULL)))),
    CONSTRAINT audio_assets_failure_code_check CHECK ((failure_code = ANY (ARRAY['not_audio'::text, 'corrupt'::text, 'truncated'::text, 'silent'::text, 'too_long'::text, 'unavailable'::text]))),
    CONSTRAINT audio_assets_original_sha256_check CHECK ((original_sha256 ~ '^[0-9a-f]{64}$'::text)),
    CONSTRAINT audio_assets_progress_check CHECK (((progress >= 0) AND (progress <= 100))),
    CONSTRAINT audio_assets_stage_check CHECK ((stage = ANY (ARRAY['downloading'::text, 'analysing'::text, 'uploading'::text])))
);

-- COMMENT: TABLE audio_assets
COMMENT ON TABLE public.audio_assets IS 'A DJ''s uploaded audio (one row per object in the audio bucket): processing state, what the analysis measured, and the streaming rendition. Written only by the database''s media functions.';

-- COMMENT: COLUMN audio_assets.object_id
COMMENT ON COLUMN public.audio_assets.object_id IS 'The original: storage.objects.id in bucket audio.';

-- COMMENT: COLUMN audio_assets.dj_id
COMMENT ON COLUMN public.audio_assets.dj_id IS 'Whose folder it is in (the uploader).';

-- COMMENT: COLUMN audio_assets.path
COMMENT ON COLUMN public.audio_assets.path IS 'The original''s path in bucket audio (`<dj id>/...`).';

-- COMMENT: COLUMN audio_assets.object_version
COMMENT ON COLUMN public.audio_assets.object_version IS 'Storage''s version of the object processed; an overwrite starts again from queued.';

-- COMMENT: COLUMN audio_assets.status
COMMENT ON COLUMN public.audio_assets.status IS 'queued, processing, ready or failed.';

-- COMMENT: COLUMN audio_assets.stage
COMMENT ON COLUMN public.audio_assets.stage IS 'While processing: downloading, analysing (decode, measure, encode) or uploading.';

-- COMMENT: COLUMN audio_assets.progress
COMMENT ON COLUMN public.audio_assets.progress IS 'While processing: percent done, 0..100.';

-- COMMENT: COLUMN audio_assets.attempts
COMMENT ON COLUMN public.audio_assets.attempts IS 'Processing attempts started (a worker lost mid-way is retried).';

-- COMMENT: COLUMN audio_assets.failure_code
COMMENT ON COLUMN public.audio_assets.failure_code IS 'Why it failed, for the app to explain: not_audio, corrupt, truncated, silent, too_long, or unavailable (our side kept failing: upload it again later).';

-- COMMENT: COLUMN audio_assets.failure_message
COMMENT ON COLUMN public.audio_assets.failure_message IS 'The failure in words (English, for support).';

-- COMMENT: COLUMN audio_assets.size_bytes
COMMENT ON COLUMN public.audio_assets.size_bytes IS 'Size of the original.';

-- COMMENT: COLUMN audio_assets.original_sha256
COMMENT ON COLUMN public.audio_assets.original_sha256 IS 'SHA-256 of the original (hex).';

-- COMMENT: COLUMN audio_assets.codec
COMMENT ON COLUMN public.audio_assets.codec IS 'The original''s codec (FFmpeg name: mp3, aac, flac, opus, pcm_s16le...).';

-- COMMENT: COLUMN audio_assets.sample_rate
COMMENT ON COLUMN public.audio_assets.sample_rate IS 'The original''s sample rate (Hz).';

-- COMMENT: COLUMN audio_assets.channels
COMMENT ON COLUMN public.audio_assets.channels IS 'The original''s channel count.';

-- COMMENT: COLUMN audio_assets.duration_s
COMMENT ON COLUMN public.audio_assets.duration_s IS 'Duration decoded (seconds).';

-- COMMENT: COLUMN audio_assets.loudness_lufs
COMMENT ON COLUMN public.audio_assets.loudness_lufs IS 'Integrated loudness, ITU-R BS.1770-4 (LUFS).';

-- COMMENT: COLUMN audio_assets.true_peak_dbtp
COMMENT ON COLUMN public.audio_assets.true_peak_dbtp IS 'True peak, 4x oversampled (dBTP).';

-- COMMENT: COLUMN audio_assets.waveform
COMMENT ON COLUMN public.audio_assets.waveform IS 'Up to 1,000 peaks in 0..1, evenly spaced over the set, for the player.';

-- COMMENT: COLUMN audio_assets.stream_path
COMMENT ON COLUMN public.audio_assets.stream_path IS 'The rendition''s path in bucket audio-streams (`<dj id>/<sha-256>.m4a`, immutable): sign it to play.';

-- COMMENT: COLUMN audio_assets.stream_bitrate
COMMENT ON COLUMN public.audio_assets.stream_bitrate IS 'The rendition''s bitrate (bit/s; AAC-LC in MP4).';

-- COMMENT: COLUMN audio_assets.stream_bytes
COMMENT ON COLUMN public.audio_assets.stream_bytes IS 'The rendition''s size.';

-- COMMENT: COLUMN audio_assets.processed_at
COMMENT ON COLUMN public.audio_assets.processed_at IS 'When it became ready or failed.';

-- COMMENT: COLUMN audio_assets.created_at
COMMENT ON COLUMN public.audio_assets.created_at IS 'When the original was first uploaded.';

-- COMMENT: COLUMN audio_assets.updated_at
COMMENT ON COLUMN public.audio_assets.updated_at IS 'Last change.';

-- CONSTRAINT: audio_assets audio_assets_pkey
ALTER TABLE ONLY public.audio_assets
    ADD CONSTRAINT audio_assets_pkey PRIMARY KEY (object_id);

-- INDEX: audio_assets_dj_idx
CREATE INDEX audio_assets_dj_idx ON public.audio_assets USING btree (dj_id, created_at DESC);

-- TRIGGER: audio_assets audio_assets_timestamps
CREATE TRIGGER audio_assets_timestamps BEFORE INSERT OR UPDATE ON public.audio_assets FOR EACH ROW EXECUTE FUNCTION private.tg__timestamps();

-- FK CONSTRAINT: audio_assets audio_assets_dj_id_fkey
ALTER TABLE ONLY public.audio_assets
    ADD CONSTRAINT audio_assets_dj_id_fkey FOREIGN KEY (dj_id) REFERENCES public.profiles(id) ON DELETE CASCADE;

-- FK CONSTRAINT: audio_assets audio_assets_object_id_fkey
ALTER TABLE ONLY public.audio_assets
    ADD CONSTRAINT audio_assets_object_id_fkey FOREIGN KEY (object_id) REFERENCES storage.objects(id) ON DELETE CASCADE;

-- POLICY: audio_assets DJs see their uploads; those who may hear a DJ see their ready 
CREATE POLICY "DJs see their uploads; those who may hear a DJ see their ready " ON public.audio_assets FOR SELECT TO authenticated USING (((dj_id = ( SELECT auth.uid() AS uid)) OR ((status = 'ready'::public.audio_status) AND ( SELECT hidden.may_hear_dj_audio((audio_assets.dj_id)::text) AS may_hear_dj_audio))));

-- ROW SECURITY: audio_assets
ALTER TABLE public.audio_assets ENABLE ROW LEVEL SECURITY;

-- ACL: TABLE audio_assets
GRANT SELECT ON TABLE public.audio_assets TO authenticated;
GRANT SELECT ON TABLE public.audio_assets TO service_role;
