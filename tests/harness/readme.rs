//! The README's walk-throughs as runnable scripts: the `sh` blocks under the headings
//! that start with "Walk-through", and the `# →` lines that say what each prints.

/// One walk-through: its heading and the shell commands of its `sh` blocks.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Walkthrough {
    /// The `## ` heading it stands under.
    pub heading: String,
    /// Its shell commands, as a reader would paste them.
    pub script: String,
}

impl Walkthrough {
    /// What the script must print, in order: the pieces of each `# → ` line between the
    /// `…` that stand for values that change from run to run (ids, times).
    pub fn expected_fragments(&self) -> Vec<String> {
        self.script
            .lines()
            .filter_map(|line| line.trim_start().strip_prefix("# → "))
            .flat_map(|expected| expected.split('…'))
            .map(str::trim)
            .filter(|fragment| !fragment.is_empty())
            .map(str::to_owned)
            .collect()
    }
}

/// The walk-throughs of a README, in document order.
pub fn walkthroughs(readme: &str) -> Vec<Walkthrough> {
    let mut found: Vec<Walkthrough> = Vec::new();
    let mut heading = String::new();
    let mut block: Option<String> = None;
    for line in readme.lines() {
        match block.as_mut() {
            Some(script) if line.trim_start().starts_with("```") => {
                let script = std::mem::take(script);
                block = None;
                if heading.starts_with("Walk-through") {
                    match found.last_mut().filter(|w| w.heading == heading) {
                        Some(walkthrough) => walkthrough.script.push_str(&script),
                        None => found.push(Walkthrough {
                            heading: heading.clone(),
                            script,
                        }),
                    }
                }
            }
            Some(script) => {
                script.push_str(line);
                script.push('\n');
            }
            None if line.trim_start() == "```sh" => block = Some(String::new()),
            None => {
                if let Some(title) = line.strip_prefix("## ") {
                    heading = title.trim().to_owned();
                }
            }
        }
    }
    found
}

/// The first expected fragment that `output` does not print after the ones before it,
/// or `None` when every fragment appears in order.
pub fn first_missing<'a>(output: &str, fragments: &'a [String]) -> Option<&'a str> {
    let mut rest = output;
    for fragment in fragments {
        match rest.find(fragment.as_str()) {
            Some(at) => rest = &rest[at + fragment.len()..],
            None => return Some(fragment),
        }
    }
    None
}
