package casefile

import (
	"encoding/base64"
	"errors"
	"fmt"
	"io"
	"io/fs"
	"os"
	"os/user"
	"path/filepath"
	"sync"
	"time"

	"casevault/crypto"
)

const (
	keysDir      = "keys"
	casesDir     = "cases"
	identityName = "identity.age"
	recoveryName = "recovery.age"
	maxKeySize   = 64 << 10
)

// Workspace is one CaseVault folder: its keys, its catalog and its cases.
// It holds the folder's lock from Open or Create until Close. Methods are
// safe for concurrent use.
type Workspace struct {
	dir  string
	lock *lockFile

	mu    sync.Mutex
	meta  *workspaceMeta
	keys  *crypto.WorkspaceKeys // nil while locked
	cat   *catalog              // nil while locked
	open  map[string]*Case
	actor string

	// Background catalog flushes (catalogflush.go).
	catDirty  bool
	flushing  bool
	flushErr  error
	flushDone sync.WaitGroup
	catWrite  sync.Mutex // serialises writers of catalog.age
	flushKick chan struct{}

	// Derived from the catalog, rebuilt on demand (deadline.go).
	dueCache    []Deadline
	totalsCache []Total
}

// CreateOptions tunes a new workspace.
type CreateOptions struct {
	// WorkFactor is the scrypt work factor (log2 N) for the key files; zero
	// calibrates it to about one second on this machine.
	WorkFactor int
}

// DefaultDir returns the default workspace folder under the user's config dir.
func DefaultDir() (string, error) {
	d, err := os.UserConfigDir()
	if err != nil {
		return "", fmt.Errorf("cannot find the user config folder: %w; choose a workspace folder", err)
	}
	return filepath.Join(d, "CaseVault", "workspace"), nil
}

// Exists reports whether dir holds a workspace.
func Exists(dir string) bool {
	_, err := os.Stat(filepath.Join(dir, metaName))
	return err == nil
}

// Create makes a new workspace in dir (which must be empty or absent),
// protected by passphrase. It returns the workspace, unlocked, and the
// recovery code, which the caller shows once and never stores.
func Create(dir string, passphrase []byte, opts CreateOptions) (*Workspace, string, error) {
	if err := crypto.CheckNewPassphrase(passphrase); err != nil {
		return nil, "", err
	}
	if entries, err := os.ReadDir(dir); err == nil && len(entries) > 0 {
		if Exists(dir) {
			return nil, "", fmt.Errorf("%s already holds a workspace: open it instead", dir)
		}
		return nil, "", fmt.Errorf("%s is not empty: choose an empty or new folder", dir)
	}
	for _, d := range []string{dir, filepath.Join(dir, keysDir), filepath.Join(dir, casesDir)} {
		if err := os.MkdirAll(d, 0o700); err != nil {
			return nil, "", fmt.Errorf("cannot create the workspace folder: %w", err)
		}
	}
	lock, err := acquireLock(dir)
	if err != nil {
		return nil, "", err
	}
	w, code, err := create(dir, passphrase, opts)
	if err != nil {
		lock.release()
		return nil, "", err
	}
	w.lock = lock
	return w, code, nil
}

func create(dir string, passphrase []byte, opts CreateOptions) (*Workspace, string, error) {
	wf := opts.WorkFactor
	if wf == 0 {
		wf = crypto.CalibrateWorkFactor()
	}
	keys, err := crypto.GenerateWorkspaceKeys()
	if err != nil {
		return nil, "", err
	}
	idFile := keys.IdentityFile()
	defer crypto.Wipe(idFile)
	identity, err := crypto.EncryptWithPassphrase(idFile, passphrase, wf)
	if err != nil {
		return nil, "", err
	}
	code, err := crypto.NewRecoveryCode()
	if err != nil {
		return nil, "", err
	}
	norm, err := crypto.NormalizeRecoveryCode([]byte(code))
	if err != nil {
		return nil, "", err
	}
	recovery, err := crypto.EncryptWithPassphrase(idFile, norm, wf)
	crypto.Wipe(norm)
	if err != nil {
		return nil, "", err
	}
	w := &Workspace{
		dir: dir,
		meta: &workspaceMeta{
			Format:         metaFormat,
			Version:        metaVersion,
			Created:        time.Now().UTC().Truncate(time.Second),
			Recipient:      keys.Recipient().String(),
			SigningKey:     base64.StdEncoding.EncodeToString(keys.SigningPublicKey()),
			KDF:            kdfParams{Name: "scrypt", LogN: wf, R: 8, P: 1},
			IdentitySHA256: sha256Hex(identity),
			RecoverySHA256: sha256Hex(recovery),
		},
		keys:      keys,
		cat:       newCatalog(),
		open:      map[string]*Case{},
		actor:     defaultActor(),
		flushKick: make(chan struct{}, 1),
	}
	kd := filepath.Join(dir, keysDir)
	if err := writeFileAtomic(kd, identityName, identity); err != nil {
		return nil, "", err
	}
	if err := writeFileAtomic(kd, recoveryName, recovery); err != nil {
		return nil, "", err
	}
	if err := w.saveCatalogLocked(); err != nil {
		return nil, "", err
	}
	// workspace.json last: its presence marks a complete workspace.
	if err := writeFileAtomic(dir, metaName, w.meta.marshal()); err != nil {
		return nil, "", err
	}
	return w, code, nil
}

// Open takes the lock of the workspace in dir and returns it locked: call
// Unlock next. It reads workspace.json and changes nothing on disk but the
// lock file.
func Open(dir string) (*Workspace, error) {
	data, err := readFileLimited(filepath.Join(dir, metaName), maxMetaSize)
	if errors.Is(err, fs.ErrNotExist) {
		return nil, fmt.Errorf("%w in %s: create one with 'init', or choose another folder", ErrNotWorkspace, dir)
	}
	if err != nil {
		return nil, damaged(metaName, adviceBackup, err)
	}
	meta, err := parseMeta(data)
	if err != nil {
		if errors.Is(err, ErrDamaged) {
			return nil, damaged(metaName, adviceBackup, err)
		}
		return nil, err
	}
	lock, err := acquireLock(dir)
	if err != nil {
		return nil, err
	}
	return &Workspace{dir: dir, lock: lock, meta: meta, open: map[string]*Case{}, actor: defaultActor(), flushKick: make(chan struct{}, 1)}, nil
}

// Dir returns the workspace folder.
func (w *Workspace) Dir() string { return w.dir }

// Locked reports whether the workspace keys are dropped.
func (w *Workspace) Locked() bool {
	w.mu.Lock()
	defer w.mu.Unlock()
	return w.keys == nil
}

// Actor returns the name recorded in audit entries for this session.
func (w *Workspace) Actor() string {
	w.mu.Lock()
	defer w.mu.Unlock()
	return w.actor
}

// SetActor sets the name recorded in audit entries (default: the OS user).
func (w *Workspace) SetActor(name string) {
	w.mu.Lock()
	defer w.mu.Unlock()
	if name != "" {
		w.actor = name
	}
}

func defaultActor() string {
	if u, err := user.Current(); err == nil && u.Username != "" {
		return u.Username
	}
	return "unknown"
}

// Unlock opens the workspace keys with the passphrase and reads the catalog.
// On any error nothing on disk has changed.
func (w *Workspace) Unlock(passphrase []byte) error {
	w.mu.Lock()
	defer w.mu.Unlock()
	keys, repairHash, err := w.openKeyFile(identityName, w.meta.IdentitySHA256, passphrase)
	if err != nil {
		return err
	}
	if w.keys != nil {
		// Still unlocked (a lock whose save failed keeps the keys so that
		// nothing is lost): the passphrase was checked all the same.
		keys.Wipe()
		return nil
	}
	return w.finishUnlock(keys, repairHash)
}

// openKeyFile decrypts keys/name with secret. The file's hash (from
// workspace.json) tells a damaged file from a wrong secret: scrypt alone
// cannot. A file that decrypts is authentic whatever its hash says (a crash
// between writing it and workspace.json); the hash is then repaired.
func (w *Workspace) openKeyFile(name, wantHash string, secret []byte) (*crypto.WorkspaceKeys, bool, error) {
	rel := keysDir + "/" + name
	data, err := readFileLimited(filepath.Join(w.dir, keysDir, name), maxKeySize)
	if err != nil {
		return nil, false, damaged(rel, adviceRecovery, err)
	}
	hashOK := sha256Hex(data) == wantHash
	plain, err := crypto.DecryptWithPassphrase(data, secret)
	defer crypto.Wipe(plain)
	switch {
	case err == nil:
	case errors.Is(err, crypto.ErrWrongPassphrase) && hashOK:
		return nil, false, err
	case errors.Is(err, crypto.ErrWrongPassphrase):
		// Not a wrong passphrase: the file is not the one recorded.
		return nil, false, damaged(rel, adviceRecovery, errors.New("file does not match the hash in "+metaName))
	default:
		return nil, false, damaged(rel, adviceRecovery, err)
	}
	keys, err := crypto.ParseWorkspaceKeys(plain)
	if err != nil {
		return nil, false, damaged(rel, adviceRecovery, err)
	}
	if keys.Recipient().String() != w.meta.Recipient ||
		base64.StdEncoding.EncodeToString(keys.SigningPublicKey()) != w.meta.SigningKey {
		keys.Wipe()
		return nil, false, damaged(rel, "it holds another workspace's key; restore the right file from a backup", nil)
	}
	return keys, !hashOK, nil
}

func (w *Workspace) finishUnlock(keys *crypto.WorkspaceKeys, repair bool) error {
	data, err := readFileLimited(filepath.Join(w.dir, catalogName), maxCatalogSize)
	if err != nil {
		keys.Wipe()
		return damaged(catalogName, adviceBackup, err)
	}
	cat, err := decryptCatalog(data, keys.Identity())
	if err != nil {
		keys.Wipe()
		if errors.Is(err, ErrDamaged) {
			return damaged(catalogName, adviceBackup, err)
		}
		return err
	}
	w.keys, w.cat = keys, cat
	w.catalogChangedLocked()
	if repair {
		data, _ := readFileLimited(filepath.Join(w.dir, keysDir, identityName), maxKeySize)
		w.meta.IdentitySHA256 = sha256Hex(data)
		if err := writeFileAtomic(w.dir, metaName, w.meta.marshal()); err != nil {
			return err
		}
	}
	removeTempFiles(w.dir)
	removeTempFiles(filepath.Join(w.dir, keysDir))
	for _, cc := range cat.Cases {
		removeTempFiles(filepath.Join(w.dir, casesDir, cc.ID))
	}
	return nil
}

// CheckPassphrase confirms the passphrase again (before a reveal, say)
// without changing anything.
func (w *Workspace) CheckPassphrase(passphrase []byte) error {
	w.mu.Lock()
	defer w.mu.Unlock()
	if w.keys == nil {
		return ErrLocked
	}
	keys, _, err := w.openKeyFile(identityName, w.meta.IdentitySHA256, passphrase)
	if err != nil {
		return err
	}
	keys.Wipe()
	return nil
}

// ChangePassphrase rewrites keys/identity.age under a new passphrase. Only
// keys/ and workspace.json change; the cases, the catalog and the recovery
// code stay as they are.
func (w *Workspace) ChangePassphrase(old, new []byte) error {
	w.mu.Lock()
	defer w.mu.Unlock()
	if w.keys == nil {
		return ErrLocked
	}
	keys, _, err := w.openKeyFile(identityName, w.meta.IdentitySHA256, old)
	if err != nil {
		return err
	}
	defer keys.Wipe()
	return w.writeIdentityLocked(keys, new)
}

// ResetPassphrase sets a new passphrase with the recovery code, for a user
// who forgot theirs (or whose keys/identity.age was damaged), and leaves the
// workspace unlocked.
func (w *Workspace) ResetPassphrase(recoveryCode, newPassphrase []byte) error {
	norm, err := crypto.NormalizeRecoveryCode(recoveryCode)
	if err != nil {
		return err
	}
	defer crypto.Wipe(norm)
	w.mu.Lock()
	defer w.mu.Unlock()
	keys, _, err := w.openKeyFile(recoveryName, w.meta.RecoverySHA256, norm)
	if errors.Is(err, crypto.ErrWrongPassphrase) {
		return errors.New("the recovery code does not open this workspace: check that it is this workspace's code")
	}
	if err != nil {
		return err
	}
	if err := w.writeIdentityLocked(keys, newPassphrase); err != nil {
		keys.Wipe()
		return err
	}
	if w.keys != nil {
		keys.Wipe()
		return nil
	}
	return w.finishUnlock(keys, false)
}

func (w *Workspace) writeIdentityLocked(keys *crypto.WorkspaceKeys, passphrase []byte) error {
	if err := crypto.CheckNewPassphrase(passphrase); err != nil {
		return err
	}
	idFile := keys.IdentityFile()
	defer crypto.Wipe(idFile)
	enc, err := crypto.EncryptWithPassphrase(idFile, passphrase, w.meta.KDF.LogN)
	if err != nil {
		return err
	}
	if err := writeFileAtomic(filepath.Join(w.dir, keysDir), identityName, enc); err != nil {
		return err
	}
	w.meta.IdentitySHA256 = sha256Hex(enc)
	return writeFileAtomic(w.dir, metaName, w.meta.marshal())
}

// Lock saves every open case, closes them, and drops the keys. The lock
// file stays held: the workspace can be unlocked again.
func (w *Workspace) Lock() error {
	w.mu.Lock()
	open := make([]*Case, 0, len(w.open))
	for _, c := range w.open {
		open = append(open, c)
	}
	w.mu.Unlock()
	var errs []error
	for _, c := range open {
		if err := c.Close(); err != nil {
			errs = append(errs, err)
		}
	}
	if len(errs) > 0 {
		// Keep the keys: the unsaved cases are still open and can be saved.
		return errors.Join(errs...)
	}
	w.kickFlush()
	w.flushDone.Wait()
	w.mu.Lock()
	defer w.mu.Unlock()
	if err := w.flushLocked(false); err != nil {
		return err
	}
	w.keys.Wipe()
	w.keys, w.cat = nil, nil
	w.catalogChangedLocked()
	return nil
}

// Close locks the workspace and releases its lock file.
func (w *Workspace) Close() error {
	if err := w.Lock(); err != nil {
		return err
	}
	w.lock.release()
	return nil
}

// saveCatalogLocked writes catalog.age atomically. w.mu must be held.
func (w *Workspace) saveCatalogLocked() error {
	w.catWrite.Lock()
	defer w.catWrite.Unlock()
	return writeAtomic(w.dir, catalogName, func(out io.Writer) error {
		return w.cat.encryptTo(out, w.keys.Recipient())
	})
}
