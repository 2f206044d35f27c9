/// An error a repository throws on purpose inside `DatabaseEngine.transaction` to roll the transaction
/// back and carry an outcome out of it (an import that met existing devices stores nothing and says
/// which). The engines rethrow it unchanged instead of describing it as a database failure.
protocol TransactionAbort: Error {}
