-- TYPE: track_provider
CREATE TYPE public.track_provider AS ENUM (
    'spotify',
    'apple_music',
    'soundcloud',
    'upload'
);

-- COMMENT: TYPE track_provider
COMMENT ON TYPE public.track_provider IS 'Where a track comes from.';


SET default_tablespace = '';

SET default_table_access_method = heap;
