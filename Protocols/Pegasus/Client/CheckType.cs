namespace ReactiveKv.Pegasus;

/// <summary>The condition check_and_set / check_and_mutate test on the current value of the check sort key.</summary>
public enum CheckType
{
    /// <summary>Always passes.</summary>
    NoCheck = 0,

    /// <summary>The value does not exist.</summary>
    ValueNotExist = 1,

    /// <summary>The value does not exist or is empty.</summary>
    ValueNotExistOrEmpty = 2,

    /// <summary>The value exists.</summary>
    ValueExist = 3,

    /// <summary>The value exists and is not empty.</summary>
    ValueNotEmpty = 4,

    /// <summary>The value contains the operand.</summary>
    ValueMatchAnywhere = 5,

    /// <summary>The value starts with the operand.</summary>
    ValueMatchPrefix = 6,

    /// <summary>The value ends with the operand.</summary>
    ValueMatchPostfix = 7,

    /// <summary>value &lt; operand, bytewise.</summary>
    ValueBytesLess = 8,

    /// <summary>value &lt;= operand, bytewise.</summary>
    ValueBytesLessOrEqual = 9,

    /// <summary>value == operand, bytewise.</summary>
    ValueBytesEqual = 10,

    /// <summary>value &gt;= operand, bytewise.</summary>
    ValueBytesGreaterOrEqual = 11,

    /// <summary>value &gt; operand, bytewise.</summary>
    ValueBytesGreater = 12,

    /// <summary>value &lt; operand, as int64.</summary>
    ValueIntLess = 13,

    /// <summary>value &lt;= operand, as int64.</summary>
    ValueIntLessOrEqual = 14,

    /// <summary>value == operand, as int64.</summary>
    ValueIntEqual = 15,

    /// <summary>value &gt;= operand, as int64.</summary>
    ValueIntGreaterOrEqual = 16,

    /// <summary>value &gt; operand, as int64.</summary>
    ValueIntGreater = 17,
}
