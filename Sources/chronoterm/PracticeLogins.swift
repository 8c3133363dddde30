import DrChronoAPI
import Foundation
import Mirror
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
            let sight: GrantPlan.Sight =
                if grant.seesEveryDoctor == true { .practice } else if let doctor = grant.doctor { .doctors([doctor]) } else { .practice }
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
