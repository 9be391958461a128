DROP TABLE IF EXISTS [dx_accounts];
CREATE TABLE [dx_accounts] (
  [code] NVARCHAR(20) NOT NULL,
  [name] NVARCHAR(100) NOT NULL,
  [parent] NVARCHAR(20),
  [Sort Order] INT,
  PRIMARY KEY ([code])
)
