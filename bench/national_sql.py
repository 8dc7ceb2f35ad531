"""The statements that fill the national benchmark database, set-based inside PostGIS.

Each step is one INSERT ... SELECT over generate_series and small helper tables
(`gen_parcel`, `gen_contract`, dropped at the end), so a million parcels never pass
through Python. Randomness is PostgreSQL's `random()` after `setseed`, so a rebuild at
the same size is alike but not byte-identical.

Geometry is made in local metres around each town's centre and carried to EPSG:4326 by
one affine transform (`bench_rect`): a square grid inside the unit disk, warped so that
spacing grows from about 10 m in the centre to 70 m at the edge, with lobes that make the
outline less round. Parcel squares stay under half the local spacing, so they never
overlap except where an overlap is planted on purpose.
"""

from __future__ import annotations

#: Metres between parcel centres at a town's edge.
SPACING = 70.0
#: Spacing in the very centre as a share of SPACING.
CENTRE = 0.15

FUNCTIONS = f"""
CREATE OR REPLACE FUNCTION bench_rect(x float8, y float8, w float8, h float8, lon float8,
        lat float8, kx float8, ky float8, ca float8, sa float8) RETURNS geometry
LANGUAGE sql IMMUTABLE PARALLEL SAFE AS $$
  SELECT ST_Multi(ST_Affine(ST_MakeEnvelope(x - w / 2, y - h / 2, x + w / 2, y + h / 2, 4326),
                            kx * ca, -kx * sa, ky * sa, ky * ca, lon, lat))
$$;

CREATE OR REPLACE FUNCTION bench_local(g geometry, c bench_city) RETURNS geometry
LANGUAGE sql IMMUTABLE PARALLEL SAFE AS $$
  SELECT ST_SetSRID(ST_Affine(g, c.kx * cos(c.angle), -c.kx * sin(c.angle),
                              c.ky * sin(c.angle), c.ky * cos(c.angle), c.lon, c.lat), 4326)
$$;

-- The town's lobed outline at the warped radius fraction f (1 = the last parcels).
CREATE OR REPLACE FUNCTION bench_shape(c bench_city, f float8) RETURNS geometry
LANGUAGE sql IMMUTABLE PARALLEL SAFE AS $$
  SELECT bench_local(ST_MakePolygon(ST_MakeLine(array_agg(
           ST_MakePoint(c.r_m * f * m * cos(t) * c.ex, c.r_m * f * m * sin(t) / c.ex)
           ORDER BY n))), c)
    FROM (SELECT n, 2 * pi() * mod(n, 256) / 256 AS t,
                 1 + c.l1 * sin(3 * 2 * pi() * mod(n, 256) / 256 + c.p1)
                   + c.l2 * sin(2 * 2 * pi() * mod(n, 256) / 256 + c.p2) AS m
            FROM generate_series(0, 256) n) s
$$;

CREATE OR REPLACE FUNCTION bench_pick(words text[], r float8) RETURNS text
LANGUAGE sql IMMUTABLE PARALLEL SAFE AS $$
  SELECT words[1 + floor(r * array_length(words, 1))::int]
$$;

CREATE OR REPLACE FUNCTION bench_warp(rho float8) RETURNS float8
LANGUAGE sql IMMUTABLE PARALLEL SAFE AS $$ SELECT rho * ({CENTRE} + {1 - CENTRE} * rho) $$;
"""

MUNICIPALITIES = f"""
INSERT INTO municipality (id, slug, name_ky, name_ru, name_en, boundary, measure_srid,
                          code_pattern)
SELECT c.id, c.slug, c.name_ky, c.name_ru, c.name_en,
       ST_Multi(bench_shape(c, 1 + 2 * {SPACING} / c.r_m)), c.measure_srid,
       '^' || c.code_prefix || '-\\d{{2}}-\\d{{3,4}}-\\d{{3,4}}$'
  FROM bench_city c;

INSERT INTO economic_zone (municipality_id, code, name, kz, valid_from, geom)
SELECT c.id, z.code, z.name, round((z.kz * (0.8 + 0.2 * least(c.rate_scale, 1.0)))::numeric, 2),
       DATE '2020-01-01',
       ST_Multi(CASE z.ring
           WHEN 1 THEN bench_shape(c, bench_warp(0.3))
           WHEN 2 THEN ST_Difference(bench_shape(c, bench_warp(0.6)),
                                     bench_shape(c, bench_warp(0.3)))
           ELSE ST_Difference(bench_shape(c, 1 + 2 * {SPACING} / c.r_m),
                              bench_shape(c, bench_warp(0.6))) END)
  FROM bench_city c,
       (VALUES (1, 'ЭПЗ-1', 'Зона I — центр', 1.2), (2, 'ЭПЗ-2', 'Зона II', 0.85),
               (3, 'ЭПЗ-3', 'Зона III — окраины', 0.5)) AS z(ring, code, name, kz);

INSERT INTO base_rate (municipality_id, land_category_id, rate, valid_from)
SELECT c.id, cat.id, round((r.rate * c.rate_scale)::numeric, 2), DATE '2020-01-01'
  FROM bench_city c
  JOIN (VALUES ('settlements', 45), ('industry_transport', 38), ('agricultural', 5),
               ('protected_natural', 18), ('forest', 4), ('water', 7), ('reserve', 9))
       AS r(code, rate) ON true
  JOIN land_category cat ON cat.code = r.code;

INSERT INTO protected_area (municipality_id, kind, name, geom)
SELECT c.id, 'green_zone', (CAST(:parks AS text[]))[n],
       ST_Multi(bench_local(ST_Buffer(ST_MakePoint(c.r_m * rr * cos(t), c.r_m * rr * sin(t)),
                                      60 + 190 * size, 8), c))
  FROM bench_city c, generate_series(1, 5) n,
       LATERAL (SELECT bench_warp(0.1 + 0.15 * n) AS rr, n * 2.4 + c.p1 AS t,
                       mod(n * 37 + c.id, 10) / 10.0 AS size) s
UNION ALL
SELECT c.id, 'water_protection', 'Водоохранная полоса р. ' || c.name_ru,
       ST_Multi(bench_local(ST_Buffer(ST_MakeLine(ST_MakePoint(-c.r_m, -0.35 * c.r_m),
                                                  ST_MakePoint(c.r_m, -0.1 * c.r_m)), 25), c))
  FROM bench_city c
UNION ALL
SELECT c.id, 'red_line', 'Красная линия: ' || (CAST(:streets AS text[]))[1 + mod(c.id, 40)],
       ST_Multi(bench_local(ST_Buffer(ST_MakeLine(ST_MakePoint(-c.r_m, 0.02 * c.r_m),
                                                  ST_MakePoint(c.r_m, 0.02 * c.r_m)), 10), c))
  FROM bench_city c;
"""

GEN_PARCEL = f"""
CREATE UNLOGGED TABLE gen_parcel AS
WITH disk AS (
    SELECT c.id AS city, i, j, u, v,
           row_number() OVER (PARTITION BY c.id ORDER BY u * u + v * v, i, j) AS rn
      FROM bench_city c
     CROSS JOIN generate_series(0, c.k - 1) i
     CROSS JOIN generate_series(0, c.k - 1) j
     CROSS JOIN LATERAL (SELECT (2 * i + 1)::float8 / c.k - 1 AS u,
                                (2 * j + 1)::float8 / c.k - 1 AS v) uv
     WHERE u * u + v * v <= 1
), raw AS (
    SELECT c.first_parcel + d.rn - 1 AS id, d.city, d.rn, d.i, d.j,
           sqrt(d.u * d.u + d.v * d.v) AS rho, atan2(d.v, d.u) AS theta,
           random() AS r_use, random() AS r_status, random() AS r_w, random() AS r_h,
           random() AS r_plant, random() AS r_bld, random() AS r_insp
      FROM disk d JOIN bench_city c ON c.id = d.city
     WHERE d.rn <= c.parcels
), shaped AS (
    SELECT r.*, {CENTRE} + {1 - CENTRE} * r.rho AS s,
           1 + c.l1 * sin(3 * r.theta + c.p1) + c.l2 * sin(2 * r.theta + c.p2) AS mult,
           CASE WHEN r.rho < 0.3 THEN 1 WHEN r.rho < 0.6 THEN 2 ELSE 3 END AS ring,
           CASE WHEN r.r_plant < 0.001 THEN 'overlap'
                WHEN r.r_plant < 0.011 THEN 'area'
                WHEN r.r_plant < 0.0115 THEN 'nogeom'
                WHEN r.r_plant < 0.012 THEN 'invalid'
                WHEN r.r_plant < 0.0125 THEN 'badcode'
                WHEN r.r_plant < 0.013 THEN 'dupcode' END AS plant,
           c.r_m, c.ex
      FROM raw r JOIN bench_city c ON c.id = r.city
), placed AS (
    SELECT s.*,
           s.r_m * bench_warp(s.rho) * s.mult * cos(s.theta) * s.ex AS x,
           s.r_m * bench_warp(s.rho) * s.mult * sin(s.theta) / s.ex AS y,
           {SPACING} * 0.5 * s.s * least(s.mult, 1.0) / s.ex
             * CASE WHEN s.plant = 'overlap' THEN 4.5 ELSE 1 END AS side
      FROM shaped s
), used AS (
    SELECT p.*, p.side * (0.75 + 0.25 * p.r_w) AS w, p.side * (0.6 + 0.4 * p.r_h) AS h,
           CASE WHEN p.ring = 1 THEN
                CASE WHEN p.r_use < 0.25 THEN 'trade' WHEN p.r_use < 0.40 THEN 'catering'
                     WHEN p.r_use < 0.44 THEN 'advertising' WHEN p.r_use < 0.50 THEN 'parking'
                     WHEN p.r_use < 0.62 THEN 'greening' WHEN p.r_use < 0.77 THEN 'housing_multi'
                     WHEN p.r_use < 0.85 THEN 'social' WHEN p.r_use < 0.88 THEN 'sport'
                     WHEN p.r_use < 0.92 THEN 'recreation' WHEN p.r_use < 0.94 THEN 'car_wash'
                     WHEN p.r_use < 0.98 THEN 'housing_individual' ELSE 'industry' END
           ELSE
                CASE WHEN p.r_use < 0.35 THEN 'housing_individual'
                     WHEN p.r_use < 0.43 THEN 'housing_multi' WHEN p.r_use < 0.55 THEN 'trade'
                     WHEN p.r_use < 0.61 THEN 'catering' WHEN p.r_use < 0.71 THEN 'greening'
                     WHEN p.r_use < 0.76 THEN 'parking' WHEN p.r_use < 0.82 THEN 'social'
                     WHEN p.r_use < 0.85 THEN 'sport' WHEN p.r_use < 0.88 THEN 'recreation'
                     WHEN p.r_use < 0.91 THEN 'car_wash' WHEN p.r_use < 0.92 THEN 'advertising'
                     WHEN p.r_use < 0.97 THEN 'industry' ELSE 'agriculture' END
           END AS use_code
      FROM placed p
)
SELECT u.id, u.city, u.rn, u.i, u.j, u.ring,
       lag(u.i) OVER (PARTITION BY u.city ORDER BY u.rn) AS prev_i,
       u.x, u.y, u.w, u.h, u.plant, u.use_code,
       u.r_bld, u.r_insp, u.r_status, u.r_w,
       CASE WHEN u.use_code = 'industry' THEN 'industry_transport'
            WHEN u.use_code = 'agriculture' THEN 'agricultural'
            WHEN u.r_status > 0.995 THEN 'reserve' ELSE 'settlements' END AS category,
       CASE WHEN u.use_code = 'social' AND u.r_status < 0.8 THEN 'municipal_use'
            WHEN u.r_status < 0.64 THEN 'leased' WHEN u.r_status < 0.82 THEN 'free'
            WHEN u.r_status < 0.90 THEN 'municipal_use' WHEN u.r_status < 0.96 THEN 'reserved'
            ELSE 'disputed' END AS status,
       round((u.w * u.h * CASE WHEN u.plant = 'area' THEN 1.2 + 0.25 * u.r_w
                               ELSE 0.985 + 0.03 * u.r_h END)::numeric, 2) AS doc_area
  FROM used u;
ALTER TABLE gen_parcel ADD PRIMARY KEY (id);
"""

PARCELS = """
INSERT INTO parcel (id, municipality_id, ident_code, address, land_category_id,
                    designated_use_id, status, documented_area, measured_area, geom,
                    geom_rejected, geom_problem)
SELECT g.id, g.city,
       CASE WHEN g.plant = 'badcode' THEN c.code_prefix || '-' || g.rn
            -- The previous parcel's code with a 3-digit block group: another string,
            -- the same code once leading zeros are ignored (dq_duplicate_code).
            WHEN g.plant = 'dupcode' AND g.prev_i IS NOT NULL
            THEN c.code_prefix || '-' || lpad((1 + mod(g.prev_i / 8, 12))::text, 2, '0') || '-'
                 || lpad(((g.rn - 1) / 10000)::text, 3, '0') || '-'
                 || lpad(mod(g.rn - 1, 10000)::text, 4, '0')
            ELSE c.code_prefix || '-' || lpad((1 + mod(g.i / 8, 12))::text, 2, '0') || '-'
                 || lpad((g.rn / 10000)::text, 4, '0') || '-'
                 || lpad(mod(g.rn, 10000)::text, 4, '0') END,
       (CAST(:kinds AS text[]))[1 + mod(g.j / :nstreets, 5)] || ' '
         || (CAST(:streets AS text[]))[1 + mod(g.j, :nstreets)]
         || CASE WHEN g.j >= 5 * :nstreets THEN ' ' || (g.j / (5 * :nstreets) + 1) ELSE '' END
         || ', ' || (g.i + 1),
       cat.id, u.id, g.status, g.doc_area,
       inventory_area_m2(geo.geom), geo.geom,
       CASE WHEN g.plant = 'invalid' THEN bench_local(ST_Affine(
                ST_GeomFromText('POLYGON((-1 -1, 1 1, 1 -1, -1 1, -1 -1))'),
                g.w / 2, 0, 0, g.h / 2, g.x, g.y), c) END,
       CASE WHEN g.plant = 'invalid' THEN 'Self-intersection' END
  FROM gen_parcel g
  JOIN bench_city c ON c.id = g.city
  JOIN land_use u ON u.code = g.use_code
  JOIN land_category cat ON cat.code = g.category
 CROSS JOIN LATERAL (
     SELECT CASE WHEN g.plant IN ('nogeom', 'invalid') THEN NULL
                 ELSE bench_rect(g.x, g.y, g.w, g.h, c.lon, c.lat, c.kx, c.ky,
                                 cos(c.angle), sin(c.angle)) END AS geom) geo
 WHERE mod(g.id, :parts) = :part
 ORDER BY g.id;
"""

BUILDINGS = """
INSERT INTO building (municipality_id, inventory_number, parcel_id, kind, address,
                      floor_area, floors, year_built, geom)
SELECT g.city, 'ИН-' || c.abbr || '-' || lpad(g.rn::text, 7, '0'), g.id, 'building',
       p.address, round((g.w * g.h * 0.36 * f.floors)::numeric, 2), f.floors,
       1950 + floor(g.r_insp * 74)::int,
       bench_rect(g.x, g.y, g.w * 0.6, g.h * 0.6, c.lon, c.lat, c.kx, c.ky,
                  cos(c.angle), sin(c.angle))
  FROM gen_parcel g
  JOIN bench_city c ON c.id = g.city
  JOIN parcel p ON p.id = g.id
 CROSS JOIN LATERAL (SELECT 1 + floor(g.r_w * CASE g.ring WHEN 1 THEN 9 WHEN 2 THEN 5
                                                          ELSE 2 END)::int AS floors) f
 WHERE g.r_bld < 0.25 AND p.geom IS NOT NULL AND mod(g.id, :parts) = :part
 ORDER BY g.id;
"""

LESSEES = """
INSERT INTO lessee (id, municipality_id, external_key, kind, name, inn, phone, email,
                    document)
SELECT id, city, 'L' || city || '-' || n, kind,
       CASE WHEN kind = 'individual' THEN person
            WHEN form = 'ИП' THEN 'ИП ' || surname || ' ' || left(given, 1) || '.'
            ELSE form || ' «' || word || CASE WHEN suffix = '' THEN '' ELSE ' ' || suffix END
                 || '»' END,
       CASE WHEN kind = 'legal_entity'
            THEN '0' || lpad(city::text, 3, '0') || lpad(n::text, 10, '0')
            WHEN r3 < 0.5 THEN '2' || lpad(city::text, 3, '0') || lpad(n::text, 10, '0') END,
       '+996 ' || (500 + floor(r3 * 299)::int) || ' ' || lpad(floor(r4 * 1e6)::int::text, 6, '0'),
       CASE WHEN kind = 'legal_entity' AND r4 < 0.5 THEN 'office' || n || '@example.kg' END,
       CASE WHEN kind = 'individual' THEN 'ID' || lpad(floor(r4 * 1e7)::int::text, 7, '0') END
  FROM (
    SELECT c.first_lessee + n - 1 AS id, c.id AS city, n,
           CASE WHEN r1 < 0.45 THEN 'legal_entity' ELSE 'individual' END AS kind,
           bench_pick(:forms, r2) AS form,
           bench_pick(:words, r3) AS word,
           bench_pick(:suffixes, r4) AS suffix,
           sur || CASE WHEN female THEN 'а' ELSE '' END AS surname, given,
           sur || CASE WHEN female THEN 'а' ELSE '' END || ' ' || given || ' ' || father
             || CASE WHEN female THEN 'овна' ELSE 'ович' END AS person, r3, r4
      FROM (SELECT c.*, n, random() AS r1, random() AS r2, random() AS r3, random() AS r4,
                   random() < 0.45 AS female, random() AS r5, random() AS r6, random() AS r7
              FROM bench_city c, generate_series(1, c.lessees) n) c
     CROSS JOIN LATERAL (
         SELECT bench_pick(:surnames, c.r5) AS sur,
                CASE WHEN c.female
                     THEN bench_pick(:female, c.r6)
                     ELSE bench_pick(:male, c.r6)
                END AS given,
                bench_pick(:fathers, c.r7) AS father
     ) nm
  ) x;
"""

GEN_CONTRACT = """
CREATE UNLOGGED TABLE gen_contract (
    id int PRIMARY KEY, city int, kind text, parcel_id int, building_id int, lessee_id int,
    term int, start_date date, end_date date, status text, terminated_on date,
    previous_id int, relation text, use_code text, annual_rent numeric, leased_area numeric,
    step int, unpaid_from date, no_object boolean DEFAULT false, r float8
);

-- The current contract of every leased parcel (2 % planted: ended but still active;
-- 5 % planted: rent far below the norm).
INSERT INTO gen_contract (id, city, kind, parcel_id, lessee_id, term, start_date, end_date,
                          status, use_code, annual_rent, leased_area, step, unpaid_from, r)
SELECT row_number() OVER (ORDER BY g.id), g.city, 'current', g.id,
       c.first_lessee + floor(random() * c.lessees)::int, t.term,
       CASE WHEN t.planted THEN (t.ended - make_interval(months => t.term))::date + 1
            ELSE t.started END,
       CASE WHEN t.planted THEN t.ended
            ELSE (t.started + make_interval(months => t.term))::date - 1 END,
       'active', g.use_code,
       round(g.doc_area * rate.rate * z.kz * u.kf
             * CAST(CASE WHEN random() < 0.05 THEN 0.35 + 0.35 * random()
                         ELSE 1.0 + 0.35 * random() END AS numeric), 2),
       g.doc_area, t.step, NULL, random()
  FROM gen_parcel g
  JOIN bench_city c ON c.id = g.city
  JOIN land_use u ON u.code = g.use_code
  JOIN land_category cat ON cat.code = g.category
  JOIN base_rate rate ON rate.municipality_id = g.city AND rate.land_category_id = cat.id
  JOIN economic_zone z ON z.municipality_id = g.city AND z.code = 'ЭПЗ-' || g.ring
 CROSS JOIN LATERAL (
     SELECT tm.term, random() < 0.02 AS planted,
            (CAST(:as_of AS date) - floor(random() * (tm.term * 30.4 - 15))::int) AS started,
            (CAST(:as_of AS date) - 10 - floor(random() * 400)::int) AS ended,
            CASE WHEN random() < 0.25 THEN 1 WHEN random() < 0.55 THEN 3
                 WHEN random() < 0.65 THEN 6 ELSE 12 END AS step
       FROM (SELECT CASE WHEN x < 0.35 THEN 11 WHEN x < 0.55 THEN 12 WHEN x < 0.75 THEN 24
                         WHEN x < 0.9 THEN 36 ELSE 60 END AS term
               FROM (SELECT random() + g.id * 0 AS x) r) tm) t
 WHERE g.status = 'leased';

-- Arrears planted on 4 % of the current contracts that started over three months ago.
UPDATE gen_contract
   SET unpaid_from = greatest(start_date + 35, CAST(:as_of AS date) - 40 - floor(r * 3000)::int)
 WHERE kind = 'current' AND r < 0.04 AND start_date < CAST(:as_of AS date) - 90;

-- An earlier contract on 40 % of them: renewed (superseded), expired or terminated.
INSERT INTO gen_contract (id, city, kind, parcel_id, lessee_id, term, start_date, end_date,
                          status, terminated_on, use_code, annual_rent, leased_area, step, r)
SELECT (SELECT max(id) FROM gen_contract) + row_number() OVER (ORDER BY cur.id),
       cur.city, 'previous', cur.parcel_id, cur.lessee_id, p.term,
       (p.ended - make_interval(months => p.term))::date + 1, p.ended,
       p.status,
       CASE WHEN p.status = 'terminated'
            THEN (p.ended - make_interval(months => p.term))::date + 1
                 + floor(p.x * p.term * 25)::int END,
       cur.use_code, round(cur.annual_rent * 0.85, 2), cur.leased_area,
       cur.step, cur.id
  FROM gen_contract cur
 CROSS JOIN LATERAL (
     SELECT q.*, CASE WHEN q.x < 0.6 THEN cur.start_date - 1
                      ELSE cur.start_date - 30 - floor(q.x * 400)::int END AS ended
       FROM (SELECT x, CASE WHEN x < 0.6 THEN 'superseded' WHEN x < 0.85 THEN 'expired'
                            ELSE 'terminated' END AS status,
                    CASE WHEN x < 0.3 THEN 11 WHEN x < 0.7 THEN 12 ELSE 24 END AS term
               FROM (SELECT random() + cur.id * 0 AS x) r) q) p
 WHERE cur.kind = 'current' AND cur.r BETWEEN 0.05 AND 0.45;

UPDATE gen_contract cur SET previous_id = prev.id, relation = 'renewal'
  FROM gen_contract prev
 WHERE prev.kind = 'previous' AND prev.status = 'superseded' AND prev.r = cur.id;

-- A second active contract on 0.1 % of the leased parcels (double lease).
INSERT INTO gen_contract (id, city, kind, parcel_id, lessee_id, term, start_date, end_date,
                          status, use_code, annual_rent, leased_area, step, r)
SELECT (SELECT max(id) FROM gen_contract) + row_number() OVER (ORDER BY cur.id),
       cur.city, 'double', cur.parcel_id,
       c.first_lessee + floor(random() * c.lessees)::int, 12,
       CAST(:as_of AS date) - 100, (CAST(:as_of AS date) - 100 + interval '12 months')::date - 1,
       'active', cur.use_code, cur.annual_rent, cur.leased_area, 3, random()
  FROM gen_contract cur JOIN bench_city c ON c.id = cur.city
 WHERE cur.kind = 'current' AND cur.r BETWEEN 0.45 AND 0.451;

-- Leases of buildings until there are as many contracts as parcels.
INSERT INTO gen_contract (id, city, kind, building_id, lessee_id, term, start_date, end_date,
                          status, terminated_on, use_code, annual_rent, leased_area, step,
                          no_object, r)
SELECT (SELECT max(id) FROM gen_contract) + row_number() OVER (ORDER BY b.id),
       b.municipality_id, 'building', b.id,
       c.first_lessee + floor(random() * c.lessees)::int, 12, s.started,
       (s.started + interval '12 months')::date - 1,
       s.status, CASE WHEN s.status = 'terminated' THEN s.started + 90 END,
       CASE WHEN s.x < 0.5 THEN 'trade' WHEN s.x < 0.8 THEN 'catering' ELSE 'industry' END,
       round(b.floor_area * CAST(150 + 250 * s.x AS numeric), 2), b.floor_area, 3, s.x < 0.0005, s.x
  FROM building b
  JOIN bench_city c ON c.id = b.municipality_id
 CROSS JOIN LATERAL (
     SELECT x, CASE WHEN x < 0.01 THEN 'draft' WHEN x < 0.8 THEN 'active'
                    WHEN x < 0.95 THEN 'expired' ELSE 'terminated' END AS status,
            CASE WHEN x < 0.01 THEN CAST(:as_of AS date) + 30
                 WHEN x < 0.8 THEN CAST(:as_of AS date) - floor(x * 330)::int
                 ELSE CAST(:as_of AS date) - 400 - floor(x * 300)::int END AS started
       FROM (SELECT random() + b.id * 0 AS x) r) s
 WHERE random() < greatest(0, :parcels - (SELECT count(*) FROM gen_contract))::float8
                  / greatest(1, (SELECT count(*) FROM building));
"""

CONTRACTS = """
INSERT INTO lease_contract (id, municipality_id, number, signed_on, lessee_id, start_date,
                            end_date, contracted_use_id, rent_amount, rent_period,
                            leased_area, basis, basis_ref, status, terminated_on,
                            previous_id, relation)
SELECT g.id, g.city,
       c.abbr || '-' || extract(year FROM g.start_date)::int || '/' || g.id,
       g.start_date - mod(g.id, 20), g.lessee_id, g.start_date, g.end_date, u.id,
       CASE WHEN mod(g.id, 10) < 3 THEN round(g.annual_rent / 12, 2)
            ELSE greatest(g.annual_rent, 1) END,
       CASE WHEN mod(g.id, 10) < 3 THEN 'month' ELSE 'year' END,
       g.leased_area,
       CASE WHEN mod(g.id, 5) < 2 THEN 'auction' ELSE 'decision' END,
       CASE WHEN mod(g.id, 5) < 2
            THEN 'Электронный аукцион № ' || (1000 + mod(g.id * 7, 9000))
                 || ' (Постановление Правительства КР №142 от 29.03.2019)'
            ELSE 'Решение мэрии № ' || (10 + mod(g.id * 13, 990)) || ' от '
                 || to_char(g.start_date - mod(g.id, 20) - 10, 'DD.MM.YYYY') END,
       g.status, g.terminated_on, g.previous_id, g.relation
  FROM gen_contract g
  JOIN bench_city c ON c.id = g.city
  JOIN land_use u ON u.code = g.use_code
 WHERE mod(g.id, :parts) = :part
 ORDER BY g.id;

INSERT INTO contract_object (contract_id, parcel_id, building_id, leased_area)
SELECT id, parcel_id, building_id, leased_area
  FROM gen_contract WHERE NOT no_object AND mod(id, :parts) = :part ORDER BY id;
"""

#: The payments a lessee made: clean lessees pay every instalment due by as_of, monthly,
#: or a quarter, half-year or year at a time; planted arrears stop paying from a date.
#: Instalment months follow inventory.services.schedule (the 10th of each month in term).
PAYMENTS = """
INSERT INTO payment (contract_id, paid_on, amount, reference)
SELECT k.id,
       greatest(k.start_date, make_date(m / 12, mod(m, 12) + 1, 10) - mod(k.id + b, 6)),
       k.instalment * least(k.step, k.m1 - m + 1),
       'п/п ' || k.id || '-' || (b + 1)
  FROM (
    SELECT g.id, g.start_date, g.step, e.m0, e.instalment,
           least(e.mend, e.masof, coalesce(e.munpaid, e.mend)) AS m1
      FROM gen_contract g
      JOIN lease_contract c ON c.id = g.id
     CROSS JOIN LATERAL (
         SELECT (extract(year FROM c.start_date) * 12 + extract(month FROM c.start_date) - 1
                 + (extract(day FROM c.start_date) > 10)::int)::int AS m0,
                (extract(year FROM fin) * 12 + extract(month FROM fin) - 1
                 - (extract(day FROM fin) < 10)::int)::int AS mend,
                (extract(year FROM CAST(:as_of AS date)) * 12
                 + extract(month FROM CAST(:as_of AS date)) - 1
                 - (extract(day FROM CAST(:as_of AS date)) < 10)::int)::int AS masof,
                (extract(year FROM g.unpaid_from) * 12 + extract(month FROM g.unpaid_from) - 1
                 - (extract(day FROM g.unpaid_from) <= 10)::int)::int AS munpaid,
                round(CASE WHEN c.rent_period = 'month' THEN c.rent_amount
                           ELSE c.rent_amount / 12 END, 2) AS instalment
           FROM (SELECT LEAST(c.end_date, c.terminated_on) AS fin) f) e
     WHERE c.status <> 'draft' AND mod(g.id, :parts) = :part
  ) k
 CROSS JOIN LATERAL generate_series(0, greatest(-1, (k.m1 - k.m0) / k.step)) b
 CROSS JOIN LATERAL (SELECT k.m0 + b * k.step AS m) mm
 WHERE k.m1 >= k.m0 AND k.instalment > 0;
"""

#: One inspection of 30 % of the parcels: what the current contract allows, except for
#: planted misuse (a non-commercial parcel seen used as a cafe or car wash) and free
#: parcels seen occupied.
INSPECTIONS = """
INSERT INTO inspection (municipality_id, parcel_id, inspected_on, inspector,
                        observed_use_id, occupied, note)
SELECT g.city, g.id, d.day, (CAST(:inspectors AS text[]))[1 + mod(g.id, 10)::int], seen.id,
       o.occupied,
       CASE WHEN o.misuse THEN 'Нецелевое использование' END
  FROM gen_parcel g
  JOIN land_use u ON u.code = g.use_code
  LEFT JOIN gen_contract cur ON cur.parcel_id = g.id AND cur.kind = 'current'
 CROSS JOIN LATERAL (
     SELECT g.status = 'leased' AND NOT u.is_commercial AND g.r_insp < 0.3 * 0.04 AS misuse,
            g.status = 'leased' OR (g.status = 'free' AND g.r_insp < 0.3 * 0.02) AS occupied
 ) o
 CROSS JOIN LATERAL (
     SELECT CASE WHEN cur.id IS NOT NULL
                 THEN least(CAST(:as_of AS date), greatest(cur.start_date + 5,
                      CAST(:as_of AS date) - floor(g.r_w * 700)::int))
                 ELSE CAST(:as_of AS date) - floor(g.r_w * 700)::int END AS day
 ) d
  LEFT JOIN land_use seen ON seen.code = CASE
       WHEN o.misuse THEN CASE WHEN mod(g.id, 2) = 0 THEN 'catering' ELSE 'car_wash' END
       WHEN g.status = 'leased' THEN g.use_code
       WHEN o.occupied THEN 'trade' END
 WHERE g.r_insp < 0.3;
"""

#: The payment schedules exactly as inventory.services.schedule builds them (one
#: instalment due on the 10th of every month whose 10th falls within the term, up to the
#: termination date, of the monthly rent rounded to 0.01 som; none for a draft), written
#: with whole month numbers because the service's timestamp series costs eight times as
#: much at this scale. national.py checks a sample against the service after each build.
SCHEDULES = """
INSERT INTO scheduled_payment (contract_id, due_date, amount)
SELECT c.id, make_date(m / 12, mod(m, 12) + 1, 10),
       round(CASE WHEN c.rent_period = 'month' THEN c.rent_amount
                  ELSE c.rent_amount / 12 END, 2)
  FROM lease_contract c
 CROSS JOIN LATERAL (
     SELECT (extract(year FROM c.start_date) * 12 + extract(month FROM c.start_date) - 1
             + (extract(day FROM c.start_date) > 10)::int)::int AS m0,
            (extract(year FROM f.fin) * 12 + extract(month FROM f.fin) - 1
             - (extract(day FROM f.fin) < 10)::int)::int AS m1
       FROM (SELECT LEAST(c.end_date, c.terminated_on) AS fin) f) e
 CROSS JOIN LATERAL generate_series(e.m0, e.m1) m
 WHERE c.status <> 'draft' AND mod(c.id, :parts) = :part;
"""
