using Portico.Configuration;

namespace Portico.SystemUsers;

/// <summary>Checks a name and password against the users in force; the front ends (NITRO) call it for every login.</summary>
public sealed class SystemUserAuthenticator(ConfigStore store)
{
    /// <summary>True once a first user exists: until then the REST API answers nothing but "no user yet".</summary>
    public bool HasUsers => !store.Current.SystemUsers.IsEmpty;

    /// <summary>The user when <paramref name="password"/> is theirs, else null. An unknown name costs a hash too, so timing does not tell names apart.</summary>
    public SystemUser? Verify(string name, string password)
    {
        var user = store.Current.SystemUsers.FirstOrDefault(u => u.Name == name);
        var ok = PasswordHash.Verify(password, user?.PasswordHash ?? DummyHash);
        return ok && user is not null ? user : null;
    }

    /// <summary>The user named <paramref name="name"/> as currently configured (a session's rights follow later changes), or null.</summary>
    public SystemUser? Find(string name) => store.Current.SystemUsers.FirstOrDefault(u => u.Name == name);

    private static readonly string DummyHash = PasswordHash.Create(Guid.NewGuid().ToString());
}
