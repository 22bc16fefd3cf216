-- FUNCTION: prune_batched(text, integer, uuid)
CREATE FUNCTION private.prune_batched(p_delete text, p_max integer, p_key uuid DEFAULT NULL::uuid) RETURNS integer
    LANGUAGE plpgsql
    SET search_path TO ''
    AS $_$
declare
  v_batch integer := (hidden.setting('retention_batch_rows'))::integer;
  v_total integer := 0;
  v_count integer;
begin
  -- p_delete deletes at most $1 rows ($2: p_key); repeated until a batch comes back short.
  loop
    execute p_delete using least(v_batch, p_max - v_total), p_key;
    get diagnostics v_count = row_count;
    v_total := v_total + v_count;
    exit when v_count < v_batch or v_total >= p_max;
  end loop;
  return v_total;
end
$_$;

-- COMMENT: FUNCTION prune_batched(p_delete text, p_max integer, p_key uuid)
COMMENT ON FUNCTION private.prune_batched(p_delete text, p_max integer, p_key uuid) IS 'Run a retention delete (at most $1 rows per statement, $2 = p_key) in batches until it deletes fewer than retention_batch_rows or p_max rows in all; returns the rows deleted.';

-- ACL: FUNCTION prune_batched(p_delete text, p_max integer, p_key uuid)
REVOKE ALL ON FUNCTION private.prune_batched(p_delete text, p_max integer, p_key uuid) FROM PUBLIC;
