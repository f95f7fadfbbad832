//! Tests that write a script and run it at once, from many threads, as a
//! suite that generates its fixtures does. Rust opens files close-on-exec,
//! but a child that another thread spawns while a script is still open for
//! writing holds a copy of the descriptor until its own exec, and until
//! then the kernel refuses to run the script: "Text file busy". Each test
//! fails if any of its launches did, and says how many.
//!
//! RACE_DIR names the directory for the scripts (the system's temporary
//! directory otherwise).

#[cfg(test)]
mod tests {
    use std::fs;
    use std::io::Write;
    use std::os::unix::fs::PermissionsExt;
    use std::path::PathBuf;
    use std::process::Command;
    use std::thread;

    const THREADS: usize = 8;
    const RUNS: usize = 25;
    /// ETXTBSY on Linux.
    const TEXT_FILE_BUSY: i32 = 26;

    /// Writes and runs RUNS scripts on each of THREADS threads.
    fn race(name: &'static str) {
        let dir = std::env::var_os("RACE_DIR")
            .map(PathBuf::from)
            .unwrap_or_else(std::env::temp_dir);
        let threads: Vec<_> = (0..THREADS)
            .map(|t| {
                let dir = dir.clone();
                thread::spawn(move || {
                    let mut busy = 0;
                    for i in 0..RUNS {
                        let path = dir.join(format!("{}-{}-{}.sh", name, t, i));
                        let mut f = fs::File::create(&path).unwrap();
                        f.write_all(b"#!/bin/sh\nexit 0\n").unwrap();
                        drop(f);
                        fs::set_permissions(&path, fs::Permissions::from_mode(0o755)).unwrap();
                        match Command::new(&path).status() {
                            Ok(status) => assert!(status.success(), "{}: {}", path.display(), status),
                            Err(e) if e.raw_os_error() == Some(TEXT_FILE_BUSY) => busy += 1,
                            Err(e) => panic!("{}: {}", path.display(), e),
                        }
                        fs::remove_file(&path).unwrap();
                    }
                    busy
                })
            })
            .collect();
        let busy: usize = threads.into_iter().map(|t| t.join().unwrap()).sum();
        assert!(
            busy == 0,
            "{} of {} launches failed: Text file busy",
            busy,
            THREADS * RUNS
        );
    }

    #[test]
    fn race_a() {
        race("a");
    }
    #[test]
    fn race_b() {
        race("b");
    }
    #[test]
    fn race_c() {
        race("c");
    }
    #[test]
    fn race_d() {
        race("d");
    }
    #[test]
    fn race_e() {
        race("e");
    }
    #[test]
    fn race_f() {
        race("f");
    }
    #[test]
    fn race_g() {
        race("g");
    }
    #[test]
    fn race_h() {
        race("h");
    }
}
