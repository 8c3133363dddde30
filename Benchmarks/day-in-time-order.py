# A/B of the appointments_by_day_time index (migration v22) on a synthetic 1,008,000-row
# appointments table with the mirror's schema and other indexes: a whole day's read, one
# doctor's day, and a page of 100 in time order, before and after the index.
#   python3 Benchmarks/day-in-time-order.py
import sqlite3, random, time, os
path='/tmp/chronoterm-day-index.sqlite'
if os.path.exists(path): os.remove(path)
db=sqlite3.connect(path)
db.execute("""CREATE TABLE appointments (id TEXT PRIMARY KEY, doctor_id INTEGER, office_id INTEGER, exam_room INTEGER, patient_id INTEGER,
 day TEXT, scheduled_time TEXT, duration INTEGER NOT NULL, status TEXT NOT NULL, reason TEXT NOT NULL, notes TEXT NOT NULL, profile_id INTEGER,
 is_break INTEGER NOT NULL, deleted INTEGER NOT NULL, note_locked INTEGER, updated_at TEXT, raw TEXT NOT NULL)""")
db.execute("CREATE INDEX appointments_by_doctor_day ON appointments(day, doctor_id, scheduled_time)")
db.execute("CREATE INDEX appointments_by_room_day ON appointments(day, office_id, exam_room, scheduled_time)")
rows=[]
n=0
for d in range(400):
    day=f"2026-{1+d//31%12:02d}-{1+d%28:02d}-{d}"
    for doc in range(120):
        for k in range(21):
            n+=1
            rows.append((str(n),doc,doc%4,1,random.randint(1,100000),day,f"{day}T{8+k//2:02d}:{(k%2)*30:02d}",30,"","Follow-up","",None,0,0,None,None,"{}"))
db.executemany("INSERT INTO appointments VALUES (?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?)", rows)
db.commit()
cols="id, doctor_id, office_id, exam_room, patient_id, scheduled_time, duration, status, reason, notes, profile_id, is_break, deleted, note_locked, updated_at"
days=[r[0] for r in db.execute("SELECT DISTINCT day FROM appointments")][:100]
def bench(label):
    ts=[]
    for day in days:
        t=time.perf_counter(); db.execute(f"SELECT {cols} FROM appointments WHERE day = ? AND deleted = 0 ORDER BY scheduled_time, doctor_id",(day,)).fetchall(); ts.append(time.perf_counter()-t)
    ts.sort(); print(label, "whole day p50 %.2f ms p99 %.2f ms"%(ts[50]*1000, ts[98]*1000))
    ts=[]
    for day in days:
        t=time.perf_counter(); db.execute(f"SELECT {cols} FROM appointments WHERE day = ? AND doctor_id = 7 AND deleted = 0 ORDER BY scheduled_time",(day,)).fetchall(); ts.append(time.perf_counter()-t)
    ts.sort(); print(label, "one doctor p50 %.3f ms p99 %.3f ms"%(ts[50]*1000, ts[98]*1000))
    ts=[]
    for day in days:
        t=time.perf_counter(); db.execute(f"SELECT {cols} FROM appointments WHERE day = ? AND deleted = 0 ORDER BY scheduled_time, doctor_id, id LIMIT 100 OFFSET 0",(day,)).fetchall(); ts.append(time.perf_counter()-t)
    ts.sort(); print(label, "page p50 %.3f ms p99 %.3f ms"%(ts[50]*1000, ts[98]*1000))
    print(label, [r[3] for r in db.execute(f"EXPLAIN QUERY PLAN SELECT {cols} FROM appointments WHERE day = ? AND deleted = 0 ORDER BY scheduled_time, doctor_id",(days[0],))])
bench("before")
db.execute("CREATE INDEX appointments_by_day_time ON appointments(day, scheduled_time, doctor_id, id)"); db.commit()
db.execute("ANALYZE") if False else None
bench("after ")
