/** A table's header row of column names, as every NHS.UK table in the app has it. */
export function ColumnHeads({ names }: { readonly names: readonly string[] }) {
  return (
    <thead className="nhsuk-table__head">
      <tr className="nhsuk-table__row">
        {names.map((name) => (
          <th key={name} scope="col" className="nhsuk-table__header">
            {name}
          </th>
        ))}
      </tr>
    </thead>
  );
}
