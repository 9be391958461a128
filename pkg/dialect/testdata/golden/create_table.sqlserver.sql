IF OBJECT_ID(N'[dx_gl]', N'U') IS NULL
CREATE TABLE [dx_gl] (
  [id] BIGINT NOT NULL,
  [account] NVARCHAR(20) NOT NULL,
  [Amount] DECIMAL(18, 2),
  [Memo "quoted"] NVARCHAR(MAX),
  [posted] DATE,
  [is_open] BIT,
  [rate] FLOAT,
  [created_at] DATETIME2,
  PRIMARY KEY ([id])
)
