/** Marks a control that holds a value set by `<purchaser-autofill>`. */
export const FILLED_ATTRIBUTE = 'data-portal-filled';
