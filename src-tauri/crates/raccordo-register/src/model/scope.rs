use super::labels;
use serde::{Deserialize, Serialize};

/// Who receives an agreement, and all that belongs to it, through sync (DESIGN.md,
/// «Sharing has scopes»). A project outside any agreement has one of its own.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Default, Serialize, Deserialize)]
#[cfg_attr(feature = "ts", derive(ts_rs::TS))]
#[serde(rename_all = "snake_case")]
pub enum Scope {
    /// Nothing of it leaves the PC where it was registered.
    Privato,
    /// The office that registered it and the offices of its parties.
    #[default]
    Parti,
    /// Every office of the hub.
    Rete,
}

labels!(Scope {
    Privato => "Privato",
    Parti => "Parti",
    Rete => "Rete",
});

impl Scope {
    pub fn parse(text: &str) -> Option<Scope> {
        Scope::ALL.iter().copied().find(|s| super::enum_str(s) == text)
    }

    /// Who receives it, in a sentence.
    pub fn explained(self) -> &'static str {
        match self {
            Scope::Privato => "resta solo su questo PC",
            Scope::Parti => "l'ufficio che lo ha registrato e gli uffici delle sue parti",
            Scope::Rete => "tutti gli uffici collegati al hub",
        }
    }
}
