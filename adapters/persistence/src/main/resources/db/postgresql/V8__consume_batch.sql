-- PostgreSQL only: SQLite has no stored functions and skips this version, so the migrations every store
-- shares never use 8.
-- ConsumeQuota's group commit. A server gathers the calls waiting at one moment and decides them all in
-- one statement, so one round trip and one commit serve the whole batch. The calls come sorted by plan,
-- key, period and day (in arrival order within those), which is the order their rows are locked in, so
-- the batches of several servers never deadlock. For each counter row, its calls are decided in turn
-- against the row as locked, exactly as the one-call statement decides (used + cost <= adjustment +
-- allowance; a NULL allowance has no quota); the row is then written once, and each day's consumed
-- cost added once. One row comes back per call, in the order given.

CREATE FUNCTION tally_consume(plan_ids VARCHAR[], key_ids VARCHAR[], period_starts INTEGER[], days INTEGER[],
                              costs BIGINT[], allowances BIGINT[])
    RETURNS TABLE (consumed BOOLEAN, period_used BIGINT, period_adjustment BIGINT)
    LANGUAGE plpgsql
AS $$
DECLARE
    calls      INTEGER := coalesce(array_length(plan_ids, 1), 0);
    head       INTEGER := 1;
    tail       INTEGER;
    i          INTEGER;
    counted    BIGINT;
    adjusted   BIGINT;
    used_before BIGINT;
    day_cost   BIGINT;
BEGIN
    WHILE head <= calls LOOP
        -- Calls head..tail share one counter row.
        tail := head;
        WHILE tail < calls AND plan_ids[tail + 1] = plan_ids[head] AND key_ids[tail + 1] = key_ids[head]
                AND period_starts[tail + 1] = period_starts[head] LOOP
            tail := tail + 1;
        END LOOP;

        SELECT p.used, p.adjustment INTO counted, adjusted FROM usage_period p
        WHERE p.plan_id = plan_ids[head] AND p.key_id = key_ids[head] AND p.period_start = period_starts[head]
        FOR UPDATE;
        IF NOT FOUND THEN
            -- The key's first call of the period. A plan deleted meanwhile fails the statement here.
            INSERT INTO usage_period (plan_id, key_id, period_start, used, adjustment)
            VALUES (plan_ids[head], key_ids[head], period_starts[head], 0, 0)
            ON CONFLICT DO NOTHING;
            SELECT p.used, p.adjustment INTO STRICT counted, adjusted FROM usage_period p
            WHERE p.plan_id = plan_ids[head] AND p.key_id = key_ids[head] AND p.period_start = period_starts[head]
            FOR UPDATE;
        END IF;
        used_before := counted;

        day_cost := 0;
        FOR i IN head .. tail LOOP
            consumed := allowances[i] IS NULL OR counted + costs[i] <= adjusted + allowances[i];
            IF consumed THEN
                counted := counted + costs[i];
                day_cost := day_cost + costs[i];
            END IF;
            period_used := counted;
            period_adjustment := adjusted;
            RETURN NEXT;
            -- Days are sorted within the row: add a day's cost once its last call is decided.
            IF day_cost > 0 AND (i = tail OR days[i + 1] <> days[i]) THEN
                INSERT INTO usage_day AS d (plan_id, key_id, day, used)
                VALUES (plan_ids[i], key_ids[i], days[i], day_cost)
                ON CONFLICT (plan_id, key_id, day) DO UPDATE SET used = d.used + excluded.used;
                day_cost := 0;
            END IF;
        END LOOP;

        IF counted <> used_before THEN
            UPDATE usage_period p SET used = counted
            WHERE p.plan_id = plan_ids[head] AND p.key_id = key_ids[head] AND p.period_start = period_starts[head];
        END IF;
        head := tail + 1;
    END LOOP;
END
$$;
