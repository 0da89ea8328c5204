// How many times a sync has changed the register since the window opened: every
// screen that loads data (useLoad) reads it again when this moves, so a partner's
// agreement appears without a restart, and what a person is typing stays as it is.
import { createContext } from "react";

export const DataGeneration = createContext(0);
