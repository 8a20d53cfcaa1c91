//! Journals of interrupted batches, as substractl writes them (src/workspace.rs): the one a run
//! killed between its commit mark and its first rename leaves, and hand-made ones that name
//! what their batch never writes, as whoever can put a file in a shared directory can plant.

use std::os::unix::fs::{MetadataExt, PermissionsExt};
use std::path::{Path, PathBuf};

/// The batch name of the journals made here (16 hex digits, as substractl names batches).
pub const BATCH: &str = "0000000000c0ffee";

/// The journal of [`BATCH`] in `dir`.
pub fn journal_in(dir: &Path) -> PathBuf {
    dir.join(format!(".substractl-journal-{BATCH}"))
}

/// The inode number of a directory, as a journal names it.
pub fn inode(dir: &Path) -> u64 {
    std::fs::metadata(dir).expect("directory").ino()
}

/// What a run killed after its commit mark, before its first rename, leaves in `dir`: each new
/// text staged beside its file under the name the change set gives it, each existing file's
/// second name, and the journal with its commit mark. `files`: (file name, new text). Returns
/// every file it made (to give them to the directory's owner).
pub fn committed_batch(dir: &Path, files: &[(&str, &str)]) -> Vec<PathBuf> {
    let dir = dir.canonicalize().expect("real directory");
    let mut made = Vec::new();
    let (mut staged, mut originals, mut created) = (Vec::new(), Vec::new(), Vec::new());
    for (n, (name, text)) in files.iter().enumerate() {
        let target = dir.join(name);
        let temp = dir.join(format!(".substractl-{BATCH}-{n}.tmp"));
        std::fs::write(&temp, text).expect("stage");
        // Staged with the mode the file has (0600 for a new one), as substractl stages it.
        let mode = std::fs::metadata(&target).map_or(0o600, |m| m.mode() & 0o7777);
        std::fs::set_permissions(&temp, std::fs::Permissions::from_mode(mode)).expect("chmod");
        made.push(temp.clone());
        if target.exists() {
            let orig = dir.join(format!(".substractl-{BATCH}-{n}.orig"));
            std::fs::hard_link(&target, &orig).expect("second name");
            originals.push((orig, target.clone()));
        } else {
            created.push(target.clone());
        }
        staged.push((temp, target));
    }
    let journal = plant(
        &dir,
        BATCH,
        serde_json::json!(staged),
        serde_json::json!(originals),
        serde_json::json!(created),
        "commit\n",
    );
    made.push(journal);
    made
}

/// Writes the journal of `batch` in `dir` (a real directory) with these `files`, `originals`
/// and `created` lists, and `marks` after its head; it names `dir` and its inode as substractl
/// would. Returns its path.
pub fn plant(
    dir: &Path,
    batch: &str,
    files: serde_json::Value,
    originals: serde_json::Value,
    created: serde_json::Value,
    marks: &str,
) -> PathBuf {
    let journal = dir.join(format!(".substractl-journal-{batch}"));
    let head = serde_json::json!({
        "batch": batch,
        "home": journal,
        "journals": [journal],
        "inodes": [inode(dir)],
        "files": files,
        "originals": originals,
        "created": created,
    });
    std::fs::write(&journal, format!("{head}\n{marks}")).expect("journal");
    journal
}
