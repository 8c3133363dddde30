import ArgumentParser
import DrChronoAPI
import Foundation
import Mirror
import Practice
import Sync

extension Profile {
    /// What keeps this profile's mirror fresh: one engine on its own login, or — once
    /// grants are added — a ``GrantedSync`` over its own login and its grants, which marks
    /// a grant DrChrono refuses dead in its record (`chronoterm grants` shows it).
    func mirrorKeeper(mirror: MirrorDatabase, client: DrChronoClient, timeZone: TimeZone) -> any MirrorKeeper {
        let grants = grants()
        guard !grants.isEmpty else { return SyncEngine(mirror: mirror, client: client, timeZone: timeZone) }
        var logins = [GrantedSync.Login(name: "", client: client)]
        for grant in grants {
            // A grant whose tokens are gone cannot read; it is left out (and `grants --check` says so).
            guard let reader = try? self.client(forGrant: grant.name) else { continue }
            // What it sees, as DrChrono said when it was added: the plan needs no request for it.
            let sight = GrantPlan.Sight(seesEveryDoctor: grant.seesEveryDoctor, doctor: grant.doctor)
            logins.append(GrantedSync.Login(name: grant.name, client: reader, alive: grant.state == .alive, sight: sight))
        }
        let profile = self
        return GrantedSync(mirror: mirror, logins: logins, timeZone: timeZone) { name, error in
            guard !name.isEmpty, var record = profile.grants().first(where: { $0.name == name }) else { return }
            (record.state, record.reason) = (.dead, error.description)
            try? profile.save(record)
        }
    }
}

extension Profile {
    /// What `person` reads of the mirror: their grant's side; nil for the whole practice
    /// (no grant, or one that sees every doctor). Fails closed: a grant the profile no
    /// longer has, or one that never said which doctor it sees, opens nothing.
    func sight(of person: PracticePeople.Person?) throws -> MirrorSight? {
        guard let person, let name = person.grant else { return nil }
        guard let record = directory.grantRecord(name) else {
            throw ValidationError(
                "\(person.name) works through the grant \(name), which this profile no longer has. "
                    + "Ask the office manager: chronoterm people add \(person.name) --grant NAME (or all).")
        }
        if record.seesEveryDoctor == true { return nil }
        guard let doctor = record.doctor else {
            throw ValidationError("The grant \(name) has not said which doctor it sees: the office manager runs chronoterm grants --check.")
        }
        return MirrorSight(doctors: [doctor])
    }

    /// The login a person's queued writes go with: their own linked DrChrono login, else
    /// their grant's (it may write for their side), else nil — the practice's own. A write
    /// DrChrono refuses (403) fails there and is never sent again through another.
    func writer(forPerson name: String) -> DrChronoClient? {
        if let own = try? client(forPerson: name) { return own }
        guard let grant = (try? PracticePeople.load(from: directory))?[name]?.grant else { return nil }
        return try? client(forGrant: grant)
    }
}
